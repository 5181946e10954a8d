import NIOCore
import NIOPosix
import Synchronization

/// Receives an upstream connection's response bytes (framed by the connection's ``HTTPResponseFramer``).
protocol UpstreamDelegate: AnyObject {
    func upstreamRead(_ bytes: ByteBuffer)
    func upstreamClosed()
    func upstreamIdle()
    func upstreamReadComplete()
}

/// The only handler of a pooled member connection: counts its raw bytes, keeps the member timeout, takes the
/// request bytes the proxy encodes and hands the response bytes to whoever leased the connection. (One handler
/// instead of a byte counter, an HTTP encoder and an idle timer: each pipeline hop costs per message.)
final class UpstreamHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    weak var delegate: (any UpstreamDelegate)?
    /// The pool holding the connection while it is idle.
    weak var idleIn: UpstreamPool?
    weak var connection: UpstreamConnection?
    /// Sent bytes count as the member's `in`, received as its `out` (as haproxy counts a server).
    private let counters: TrafficCounters
    private let timer: IdleTimer?

    init(counters: TrafficCounters, idleTimeout: TimeAmount?) {
        self.counters = counters
        timer = idleTimeout.map { IdleTimer(timeout: $0) }
    }

    /// No traffic for `timeout_member_data` (haproxy `timeout server`): the exchange in flight times out, an
    /// idle pooled connection closes.
    func handlerAdded(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        timer?.start(on: context.eventLoop) { [self] in
            guard context.channel.isActive else { return }
            if let delegate { delegate.upstreamIdle() } else { context.close(promise: nil) }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.stop()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        counters.addOut(bytes.readableBytes)
        timer?.read()
        guard let delegate else {
            // bytes on an idle pooled connection belong to no request: the connection is out of step
            context.close(promise: nil)
            return
        }
        delegate.upstreamRead(bytes)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        timer?.readCompleted()
        delegate?.upstreamReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        counters.addIn(unwrapOutboundIn(data).readableBytes)
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        timer?.flushed()
        context.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.stop()
        let delegate = self.delegate
        self.delegate = nil
        if let idleIn, let connection { idleIn.remove(connection) }
        idleIn = nil
        delegate?.upstreamClosed()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Which member an idle connection leads to. Looked up twice per request: its hash is the member id's, worked
/// out once per key rather than over all three fields at every lookup.
struct UpstreamKey: Hashable {
    let memberId: String
    let host: String
    let port: Int
    private let memberHash: Int

    init(memberId: String, host: String, port: Int) {
        self.memberId = memberId
        self.host = host
        self.port = port
        memberHash = memberId.hashValue
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.memberHash == rhs.memberHash && lhs.port == rhs.port && lhs.memberId == rhs.memberId
            && lhs.host == rhs.host
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(memberHash)
    }
}

/// A keep-alive HTTP connection to one member.
final class UpstreamConnection {
    let channel: any Channel
    let handler: UpstreamHandler
    let key: UpstreamKey
    /// Requests this connection has carried.
    var uses = 0
    /// Reading was stopped for back-pressure (the client was not writable).
    var readPaused = false
    /// Where the response in flight begins and ends.
    var framer = HTTPResponseFramer()

    init(channel: any Channel, handler: UpstreamHandler, key: UpstreamKey) {
        self.channel = channel
        self.handler = handler
        self.key = key
        handler.connection = self
    }

    func setAutoRead(_ on: Bool) {
        guard readPaused == on else { return }
        readPaused = !on
        try? channel.syncOptions?.setOption(ChannelOptions.autoRead, value: on)
    }
}

/// Idle keep-alive connections to members, one pool per event loop (only touched on that loop).
final class UpstreamPool {
    static let maxIdlePerMember = 128

    /// The idle connections to one member, a class so a take or release mutates it without a dictionary write.
    private final class IdleList {
        var connections: [UpstreamConnection] = []
    }

    let eventLoop: any EventLoop
    private var idle: [UpstreamKey: IdleList] = [:]

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// A pooled idle connection to `key`'s member, if one is open.
    func takeIdle(_ key: UpstreamKey) -> UpstreamConnection? {
        eventLoop.preconditionInEventLoop()
        guard let list = idle[key] else { return nil }
        while let connection = list.connections.popLast() {
            connection.handler.idleIn = nil
            if connection.channel.isActive { return connection }
        }
        return nil
    }

    /// Connects a new connection to `key`'s member; its raw bytes are counted on `counters`
    /// (sent = in, received = out, as haproxy counts a server).
    func connect(
        _ key: UpstreamKey, connectTimeout: TimeAmount, idleTimeout: TimeAmount?, counters: TrafficCounters,
        completion: @escaping (Result<UpstreamConnection, any Error>) -> Void
    ) {
        eventLoop.preconditionInEventLoop()
        ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: key.host, port: key.port)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .failure(let error):
                    completion(.failure(error))
                case .success(let channel):
                    let handler = UpstreamHandler(counters: counters, idleTimeout: idleTimeout)
                    do {
                        // the proxy writes encoded request bytes; responses stay bytes, framed by the connection's
                        // framer
                        try channel.pipeline.syncOperations.addHandler(handler)
                        completion(.success(UpstreamConnection(channel: channel, handler: handler, key: key)))
                    } catch {
                        channel.close(promise: nil)
                        completion(.failure(error))
                    }
                }
            }
    }

    /// Returns a connection whose response ended cleanly.
    func release(_ connection: UpstreamConnection) {
        eventLoop.preconditionInEventLoop()
        connection.handler.delegate = nil
        let list: IdleList
        if let existing = idle[connection.key] {
            list = existing
        } else {
            list = IdleList()
            idle[connection.key] = list
        }
        guard connection.channel.isActive, list.connections.count < Self.maxIdlePerMember else {
            connection.channel.close(promise: nil)
            return
        }
        connection.handler.idleIn = self
        list.connections.append(connection)
    }

    /// Forgets an idle connection that closed.
    func remove(_ connection: UpstreamConnection) {
        idle[connection.key]?.connections.removeAll { $0 === connection }
    }
}

/// One ``UpstreamPool`` per event loop.
final class UpstreamPools: Sendable {
    /// Safe because each pool is only used on its own event loop (checked with `preconditionInEventLoop`).
    private struct Box: @unchecked Sendable {
        let pool: UpstreamPool
    }

    private let pools = Mutex<[ObjectIdentifier: Box]>([:])

    func pool(for eventLoop: any EventLoop) -> UpstreamPool {
        pools.withLock { pools in
            let key = ObjectIdentifier(eventLoop)
            if let box = pools[key] { return box.pool }
            let pool = UpstreamPool(eventLoop: eventLoop)
            pools[key] = Box(pool: pool)
            return pool
        }
    }
}
