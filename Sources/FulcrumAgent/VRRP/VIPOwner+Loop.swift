import FulcrumWire
import Logging
import NIOCore

extension VIPOwner {
    /// The owner's one loop: every event becomes state machine actions, carried out in order.
    func drive(
        _ outbound: NIOAsyncChannelOutboundWriter<AddressedEnvelope<ByteBuffer>>,
        announce: AsyncStream<VIPAssignment>.Continuation, since start: ContinuousClock.Instant
    ) async {
        var loop = Loop(settings: settings, bootId: bootId)
        let clock = ContinuousClock()
        // Announce this amphora's own VRRP address, so the peer's adverts reach this MAC address at once (a
        // replacement reuses the address of the amphora it replaces).
        let own = VIPAssignment(
            address: settings.vrrp.address, prefixLength: settings.vrrp.vipPrefixLength,
            interface: settings.vrrp.interface)
        for _ in 0..<max(1, settings.vrrp.garpCount) { announce.yield(own) }
        let serving = await isEngineServing()
        var actions = loop.machine.engineHealthChanged(serving, now: clock.now - start)
        actions += loop.machine.start(now: clock.now - start)
        await perform(actions, loop: &loop, outbound: outbound, announce: announce)
        publish(loop.machine)
        for await event in events {
            let now = clock.now - start
            switch event {
            case .tick:
                let serving = await isEngineServing()
                actions = loop.machine.engineHealthChanged(serving, now: now) + loop.machine.tick(now: now)
            case .datagram(let bytes):
                actions = receive(bytes, loop: &loop, now: now)
            case .configure(let new):
                loop.settings = new
                actions = loop.machine.configChanged(new.machine, now: now)
            case .stop:
                actions = loop.machine.stop()
            }
            await perform(actions, loop: &loop, outbound: outbound, announce: announce)
            publish(loop.machine)
            if case .stop = event { return }
        }
        // cancelled: leave the VIP where it is, as a crash would
    }

    /// The mutable part of the loop.
    struct Loop {
        var settings: Settings
        var machine: VRRPStateMachine
        var replay = VRRPReplayGuard()
        let codec: VRRPAdvertCodec
        let bootId: UInt64
        var sequence: UInt64 = 0

        init(settings: Settings, bootId: UInt64) {
            self.settings = settings
            self.machine = VRRPStateMachine(configuration: settings.machine)
            self.codec = VRRPAdvertCodec(key: settings.vrrp.authKey)
            self.bootId = bootId
        }
    }

    private func receive(_ bytes: [UInt8], loop: inout Loop, now: Duration) -> [VRRPStateMachine.Action] {
        let advert: VRRPAdvert
        do {
            advert = try loop.codec.open(bytes)
        } catch {
            count(\.advertsRejected)
            logger.debug("vrrp advert rejected", metadata: ["error": "\(error)", "size": "\(bytes.count)"])
            return []
        }
        guard advert.group == loop.settings.group, loop.machine.isPeer(advert.sender) else {
            count(\.advertsIgnored)
            logger.debug("vrrp advert ignored", metadata: ["peer.address": "\(advert.sender)"])
            return []
        }
        guard loop.replay.admit(advert) else {
            count(\.advertsReplayed)
            logger.debug("vrrp advert replayed", metadata: ["peer.address": "\(advert.sender)"])
            return []
        }
        count(\.advertsAccepted)
        return loop.machine.advertReceived(
            from: advert.sender, priority: advert.priority, state: advert.state,
            interval: .milliseconds(Int(advert.advertIntervalMs)), now: now)
    }

    private func perform(
        _ actions: [VRRPStateMachine.Action], loop: inout Loop,
        outbound: NIOAsyncChannelOutboundWriter<AddressedEnvelope<ByteBuffer>>,
        announce: AsyncStream<VIPAssignment>.Continuation
    ) async {
        let vip = loop.settings.vip
        for action in actions {
            do {
                switch action {
                case .addVIP:
                    try await actuator.addVIP(vip)
                case .removeVIP:
                    try await actuator.removeVIP(vip)
                case .sendGratuitousARP:
                    announce.yield(vip)
                case .sendAdvert(let state, let priority):
                    let advert = VRRPAdvert(
                        group: loop.settings.group, sender: loop.machine.configuration.address, priority: priority,
                        state: state, advertIntervalMs: UInt16(clamping: loop.settings.vrrp.advertIntervalMs),
                        bootId: loop.bootId, sequence: loop.sequence)
                    loop.sequence += 1
                    await send(loop.codec.seal(advert), to: loop.machine.configuration.peers, loop: loop, outbound)
                }
            } catch {
                count(\.failures)
                logger.info("vrrp action failed", metadata: ["vrrp.action": "\(action)", "error": "\(error)"])
            }
        }
    }

    private func send(
        _ datagram: [UInt8], to peers: [VRRPAddress], loop: Loop,
        _ outbound: NIOAsyncChannelOutboundWriter<AddressedEnvelope<ByteBuffer>>
    ) async {
        for peer in peers {
            do {
                let address = try SocketAddress(ipAddress: peer.description, port: loop.settings.vrrp.port)
                try await outbound.write(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: datagram)))
                count(\.advertsSent)
            } catch {
                count(\.failures)
                logger.debug("vrrp advert not sent", metadata: ["peer.address": "\(peer)", "error": "\(error)"])
            }
        }
    }
}
