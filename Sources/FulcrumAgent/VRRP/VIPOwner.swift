import FulcrumWire
public import Logging
public import NIOCore
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// Holds the VIP of an ACTIVE_STANDBY amphora while this amphora is MASTER: the engine-native replacement for
/// Octavia's keepalived.
///
/// Binds a UDP socket on the own VRRP address and port, sends adverts to each peer while MASTER, receives and
/// checks the peer's (HMAC, group, peer list, replay; bad ones are counted and dropped), polls the engine's
/// health and drives a ``VRRPStateMachine``: it ticks every quarter advert interval (at most 100 ms), and exactly
/// at the machine's next deadline when that is sooner, so the skew between priorities is kept. Every event
/// goes through one loop, so actuator calls happen in the machine's order; gratuitous ARPs run on their own task
/// so a slow `arping` never delays an advert.
///
/// `run()` runs once. Graceful shutdown or ``stop()`` releases the VIP and resigns (the peer takes over at
/// once); cancellation just closes the socket, like a crash (the peer takes over after three silent intervals).
public final class VIPOwner: Service, Sendable {
    /// What the owner reports.
    public struct Status: Sendable, Hashable {
        /// The machine's state.
        public var state: VRRPStateMachine.State = .initial
        /// The engine health the machine last saw.
        public var engineServing = true
        /// Adverts sent (one per peer each).
        public var advertsSent: UInt64 = 0
        /// Adverts accepted.
        public var advertsAccepted: UInt64 = 0
        /// Datagrams refused by the codec: wrong length, HMAC (another key), version or state.
        public var advertsRejected: UInt64 = 0
        /// Authenticated adverts refused as replays.
        public var advertsReplayed: UInt64 = 0
        /// Authenticated adverts of another group (VIP) or from an address that is not a peer.
        public var advertsIgnored: UInt64 = 0
        /// Failed actuator calls and failed sends.
        public var failures: UInt64 = 0
        /// Takeovers because the MASTER fell silent, and because it resigned.
        public var silentPeerTakeovers: UInt64 = 0
        public var resignTakeovers: UInt64 = 0
    }

    enum Event: Sendable {
        case tick
        case datagram([UInt8])
        case configure(Settings)
        case stop
    }

    private enum Phase { case idle, running, finished }

    /// The settings the owner started with.
    public let settings: Settings
    let actuator: any VIPActuator
    let isEngineServing: @Sendable () async -> Bool
    private let group: any EventLoopGroup
    let logger: Logger
    let bootId: UInt64
    let events: AsyncStream<Event>
    let sink: AsyncStream<Event>.Continuation
    private let statusBox = Mutex(Status())
    /// The machine's next deadline, for the ticker.
    let wakeAt = Mutex<Duration?>(nil)
    private let phase = Mutex<(phase: Phase, waiters: [CheckedContinuation<Void, Never>])>((.idle, []))

    /// Creates an owner; `isEngineServing` is polled every tick; `group` defaults to NIO's singleton.
    public init(
        settings: Settings, actuator: any VIPActuator, isEngineServing: @escaping @Sendable () async -> Bool,
        group: (any EventLoopGroup)? = nil, logger: Logger,
        bootId: UInt64 = .random(in: .min ... .max)
    ) {
        self.settings = settings
        self.actuator = actuator
        self.isEngineServing = isEngineServing
        self.group = group ?? MultiThreadedEventLoopGroup.singleton
        self.logger = logger
        self.bootId = bootId
        (events, sink) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(1024))
    }

    /// The current state, health and counters.
    public var status: Status { statusBox.withLock { $0 } }

    /// Applies new priority, peers or timing (same binding, see ``Settings/hasSameBinding(as:)``) without
    /// releasing the VIP.
    public func update(_ settings: Settings) { sink.yield(.configure(settings)) }

    /// Asks the owner to release the VIP, resign and return from `run()`.
    public func requestStop() { sink.yield(.stop) }

    /// ``requestStop()``, then waits until `run()` returned (at once when it is not running).
    public func stop() async {
        requestStop()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiting = phase.withLock { state in
                guard state.phase == .running else { return false }
                state.waiters.append(continuation)
                return true
            }
            if !waiting { continuation.resume() }
        }
    }

    /// Binds the advert socket and owns the VIP until stopped, gracefully shut down or cancelled.
    public func run() async throws {
        let starting = phase.withLock { state in
            guard state.phase == .idle else { return false }
            state.phase = .running
            return true
        }
        guard starting else { return }
        defer {
            let waiters = phase.withLock { state in
                state.phase = .finished
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        let channel = try await bind()
        let period = min(Duration.milliseconds(settings.vrrp.advertIntervalMs) / 4, .milliseconds(100))
        let start = ContinuousClock.now
        try await channel.executeThenClose { inbound, outbound in
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { group in
                    let (announcements, announce) = AsyncStream.makeStream(
                        of: VIPAssignment.self, bufferingPolicy: .bufferingNewest(16))
                    group.addTask { await self.receive(inbound) }
                    group.addTask { await self.tick(every: period, since: start) }
                    group.addTask {
                        for await vip in announcements { await self.sendGratuitousARP(vip) }
                    }
                    await self.drive(outbound, announce: announce, since: start)
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                self.requestStop()
            }
        }
    }

    /// The advert channel on a close-on-exec socket (``boundSocket(host:port:)``), with the async handlers
    /// installed before registration so no datagram is lost. (The bootstrap's async `withBoundSocket` fails for
    /// datagram channels with `operationUnsupported` in this NIO version; the future-based one works.)
    private func bind() async throws -> NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>> {
        // no SO_REUSEADDR: a second process on the same address and port must fail, not share the adverts
        let socket = try Self.boundSocket(host: settings.vrrp.address, port: settings.vrrp.port)
        let wrapped = Mutex<NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>?>(nil)
        _ = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let asyncChannel = try NIOAsyncChannel<
                        AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>
                    >(
                        wrappingChannelSynchronously: channel)
                    wrapped.withLock { $0 = asyncChannel }
                }
            }
            .withBoundSocket(socket).get()
        guard let channel = wrapped.withLock({ $0 }) else {
            throw AgentError(.socketFailed, "vrrp socket: channel not initialized")
        }
        return channel
    }

    /// Ticks every `period`, or at the machine's next deadline when that comes first.
    private func tick(every period: Duration, since start: ContinuousClock.Instant) async {
        while !Task.isCancelled {
            let due = wakeAt.withLock { $0 }.map { $0 - (ContinuousClock.now - start) } ?? period
            do {
                try await Task.sleep(for: min(period, max(due, .milliseconds(1))))
            } catch {
                return
            }
            sink.yield(.tick)
        }
    }

    /// Feeds datagrams to the loop; a receive failure stops the owner (it must not take the VIP deaf).
    private func receive(_ inbound: NIOAsyncChannelInboundStream<AddressedEnvelope<ByteBuffer>>) async {
        do {
            for try await envelope in inbound { sink.yield(.datagram(Array(envelope.data.readableBytesView))) }
        } catch {
            logger.debug("vrrp receive failed", metadata: ["error": "\(error)"])
        }
        if !Task.isCancelled {
            logger.info("vrrp socket closed; releasing the VIP", metadata: ["vrrp.address": "\(settings.vrrp.address)"])
            requestStop()
        }
    }

    private func sendGratuitousARP(_ vip: VIPAssignment) async {
        do {
            try await actuator.sendGratuitousARP(vip)
        } catch {
            count(\.failures)
            logger.info("gratuitous ARP failed", metadata: ["vip": "\(vip.address)", "error": "\(error)"])
        }
    }

    func count(_ counter: WritableKeyPath<Status, UInt64>, by amount: UInt64 = 1) {
        statusBox.withLock { $0[keyPath: counter] += amount }
    }

    func publish(_ machine: VRRPStateMachine) {
        wakeAt.withLock { $0 = machine.nextDeadline }
        let previous = statusBox.withLock { status in
            defer {
                status.state = machine.state
                status.engineServing = machine.engineHealthy
                status.silentPeerTakeovers = machine.silentPeerTakeovers
                status.resignTakeovers = machine.resignTakeovers
            }
            return status.state
        }
        if previous != machine.state {
            logger.info(
                "vrrp state changed",
                metadata: [
                    "vrrp.state": "\(machine.state.rawValue)", "vrrp.previous": "\(previous.rawValue)",
                    "vrrp.priority": "\(machine.configuration.priority)", "vip": "\(settings.vip.address)",
                ])
        }
    }
}
