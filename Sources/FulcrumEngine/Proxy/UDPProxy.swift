import FulcrumWire
import NIOCore
import NIOPosix
import Synchronization

/// UDP listener: each client address gets a session, a connected datagram socket to the member picked for it;
/// replies are sent back from the listener's socket. Sessions end after `timeout_client_data` of silence
/// (60 s when 0). Datagrams that arrive while a session's socket is being created are queued (at most 64).
final class UDPFrontendHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    static let maxQueued = 64

    private final class Session {
        var channel: (any Channel)?
        var queue: [ByteBuffer] = []
        var lastSeen: NIODeadline = .now()
        let lease: MemberLease

        init(lease: MemberLease) {
            self.lease = lease
        }
    }

    private let listener: ListenerRuntime
    private var sessions: [SocketAddress: Session] = [:]
    private var sweeper: Scheduled<Void>?
    private var active = true

    init(listener: ListenerRuntime) {
        self.listener = listener
    }

    private var idleTimeout: TimeAmount {
        let ms = listener.settings.config.timeouts.clientDataMs
        return .milliseconds(Int64(ms > 0 ? ms : 60_000))
    }

    func channelActive(context: ChannelHandlerContext) {
        scheduleSweep(context.eventLoop.assumeIsolated())
        context.fireChannelActive()
    }

    private func scheduleSweep(_ loop: NIOIsolatedEventLoop) {
        guard active else { return }
        sweeper = loop.scheduleTask(in: min(idleTimeout, .seconds(1))) { [weak self] in
            self?.sweep()
            self?.scheduleSweep(loop)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        sweeper?.cancel()
        for session in sessions.values { end(session) }
        sessions = [:]
        context.fireChannelInactive()
    }

    private func sweep() {
        let now = NIODeadline.now()
        for (address, session) in sessions where now - session.lastSeen > idleTimeout {
            end(session)
            sessions[address] = nil
        }
    }

    private func end(_ session: Session) {
        session.channel?.close(promise: nil)
        session.lease.counters.closed()
        session.lease.release()
        listener.counters.closed()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let client = envelope.remoteAddress
        listener.counters.addIn(envelope.data.readableBytes)
        if let session = sessions[client] {
            session.lastSeen = .now()
            session.lease.counters.addIn(envelope.data.readableBytes)
            if let channel = session.channel {
                channel.writeAndFlush(envelope.data, promise: nil)
            } else if session.queue.count < Self.maxQueued {
                session.queue.append(envelope.data)
            }
            return
        }
        let settings = listener.settings
        guard let address = client.ipAddress, settings.cidrs.contains(address),
            listener.counters.active.load(ordering: .relaxed) < settings.config.effectiveConnectionLimit,
            let lease = settings.pool?.lease(for: ClientKey(address: address, port: client.port ?? 0))
        else {
            return
        }
        listener.counters.opened()
        lease.counters.addIn(envelope.data.readableBytes)
        let session = Session(lease: lease)
        session.queue.append(envelope.data)
        sessions[client] = session
        let frontend = context.channel
        let counters = listener.counters
        DatagramBootstrap(group: context.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        UDPMemberHandler(frontend: frontend, client: client, counters: counters, member: lease.counters)
                    )
                }
            }
            .connect(host: lease.address, port: lease.port)
            .assumeIsolated()
            .whenComplete { [weak self] result in
                guard let self, self.sessions[client] === session else {
                    if case .success(let channel) = result { channel.close(promise: nil) }
                    return
                }
                switch result {
                case .failure:
                    self.end(session)
                    self.sessions[client] = nil
                case .success(let channel):
                    session.channel = channel
                    for buffer in session.queue { channel.write(buffer, promise: nil) }
                    session.queue = []
                    channel.flush()
                }
            }
    }
}

/// Relays a member's datagrams back to the client through the listener's socket.
final class UDPMemberHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let frontend: any Channel
    private let client: SocketAddress
    private let counters: TrafficCounters
    private let member: TrafficCounters

    init(frontend: any Channel, client: SocketAddress, counters: TrafficCounters, member: TrafficCounters) {
        self.frontend = frontend
        self.client = client
        self.counters = counters
        self.member = member
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let payload = unwrapInboundIn(data).data
        counters.addOut(payload.readableBytes)
        member.addOut(payload.readableBytes)
        frontend.writeAndFlush(AddressedEnvelope(remoteAddress: client, data: payload), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP port unreachable and the like: drop the datagram, keep the session until it idles out
    }
}
