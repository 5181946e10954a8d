import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Receives an upstream connection's response bytes (framed by the connection's ``HTTPResponseFramer``).
protocol UpstreamDelegate: AnyObject {
    func upstreamRead(_ bytes: ByteBuffer)
    func upstreamClosed()
    func upstreamIdle()
    func upstreamReadComplete()
    func upstreamError(_ error: any Error)
}

/// The last handler of a pooled member connection: hands the response bytes to whoever leased it.
final class UpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    weak var delegate: (any UpstreamDelegate)?
    /// The pool holding the connection while it is idle.
    weak var idleIn: UpstreamPool?
    weak var connection: UpstreamConnection?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let delegate else {
            // bytes on an idle pooled connection belong to no request: the connection is out of step
            context.close(promise: nil)
            return
        }
        delegate.upstreamRead(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        delegate?.upstreamReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let delegate = self.delegate
        self.delegate = nil
        if let idleIn, let connection { idleIn.remove(connection) }
        idleIn = nil
        delegate?.upstreamClosed()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IdleStateHandler.IdleStateEvent else { return }
        if let delegate { delegate.upstreamIdle() } else { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        delegate?.upstreamError(error)
        context.close(promise: nil)
    }
}

/// Which member an idle connection leads to.
struct UpstreamKey: Hashable {
    var memberId: String
    var host: String
    var port: Int
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
                    let handler = UpstreamHandler()
                    do {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(ByteCounterHandler(onIn: counters.addOut, onOut: counters.addIn))
                        // requests are encoded; responses stay bytes, framed by the connection's framer
                        try sync.addHandler(HTTPRequestEncoder())
                        if let idleTimeout { try sync.addHandler(IdleTimeoutHandler(timeout: idleTimeout)) }
                        try sync.addHandler(handler)
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
