import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Receives an upstream connection's response parts.
protocol UpstreamDelegate: AnyObject {
    func upstreamRead(_ part: HTTPClientResponsePart)
    func upstreamClosed()
    func upstreamIdle()
    func upstreamReadComplete()
}

/// The last handler of a pooled member connection: hands response parts to whoever leased it.
final class UpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    weak var delegate: (any UpstreamDelegate)?
    var onClose: (() -> Void)?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        delegate?.upstreamRead(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        delegate?.upstreamReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let delegate = self.delegate
        self.delegate = nil
        onClose?()
        onClose = nil
        delegate?.upstreamClosed()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IdleStateHandler.IdleStateEvent else { return }
        if let delegate { delegate.upstreamIdle() } else { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A keep-alive HTTP connection to one member.
final class UpstreamConnection {
    let channel: any Channel
    let handler: UpstreamHandler
    let key: String
    /// Requests this connection has carried.
    var uses = 0

    init(channel: any Channel, handler: UpstreamHandler, key: String) {
        self.channel = channel
        self.handler = handler
        self.key = key
    }
}

/// Idle keep-alive connections to members, one pool per event loop (only touched on that loop).
final class UpstreamPool {
    static let maxIdlePerMember = 128

    let eventLoop: any EventLoop
    private var idle: [String: [UpstreamConnection]] = [:]

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Hands `completion` a pooled idle connection to the member at `host:port` (`reused` true), or a new one.
    func acquire(
        memberId: String, host: String, port: Int, connectTimeout: TimeAmount, idleTimeout: TimeAmount?,
        onBytes: @escaping (_ sent: Int, _ received: Int) -> Void,
        completion: @escaping (Result<(UpstreamConnection, reused: Bool), any Error>) -> Void
    ) {
        eventLoop.preconditionInEventLoop()
        let key = "\(memberId)@\(host):\(port)"
        while let connection = idle[key]?.popLast() {
            if connection.channel.isActive {
                connection.handler.onClose = nil
                completion(.success((connection, true)))
                return
            }
        }
        ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .failure(let error):
                    completion(.failure(error))
                case .success(let channel):
                    let handler = UpstreamHandler()
                    do {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(ByteCounterHandler(onIn: { onBytes(0, $0) }, onOut: { onBytes($0, 0) }))
                        try sync.addHTTPClientHandlers(leftOverBytesStrategy: .forwardBytes)
                        if let idleTimeout { try sync.addHandler(IdleStateHandler(allTimeout: idleTimeout)) }
                        try sync.addHandler(handler)
                        completion(.success((UpstreamConnection(channel: channel, handler: handler, key: key), false)))
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
        guard connection.channel.isActive, idle[connection.key, default: []].count < Self.maxIdlePerMember else {
            connection.channel.close(promise: nil)
            return
        }
        connection.handler.delegate = nil
        connection.handler.onClose = { [weak self, weak connection] in
            guard let self, let connection else { return }
            self.idle[connection.key]?.removeAll { $0 === connection }
        }
        idle[connection.key, default: []].append(connection)
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
