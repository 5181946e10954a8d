import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// An in-process member: HTTP answers `<name>\n` plus the `x-*` request headers it saw, one line each;
/// `/slow` answers after 500 ms, `/big` with 2 MiB, `/login` sets `JSESSIONID`, `/hang` never, `/held` when the test
/// calls `releaseHeld()`, `/health` with `healthStatus`. TCP mode writes `<name>\n` on connect, then echoes.
final class TestBackend: Sendable {
    enum Mode { case http, tcp }

    let name: String
    let channel: any Channel
    let requests = Atomic<Int>(0)
    let healthStatus = Atomic<Int>(200)
    /// Responses to `/held` requests, each sent on its own event loop when released.
    let held = Mutex<[@Sendable () -> Void]>([])

    /// `/held` requests waiting for ``releaseHeld()``.
    var heldCount: Int { held.withLock { $0.count } }

    /// Answers every `/held` request received so far.
    func releaseHeld() {
        let responses = held.withLock { responses in
            let all = responses
            responses = []
            return all
        }
        for send in responses { send() }
    }

    var port: Int { channel.localAddress!.port! }

    private init(name: String, channel: any Channel) {
        self.name = name
        self.channel = channel
    }

    /// Starts a backend on a port below the kernel's ephemeral range (32768+), so that while it is stopped no
    /// other test's port-0 socket can take the port (tests that stop and restart a member need that).
    static func startOnReservedPort(_ name: String) async throws -> TestBackend {
        var lastError: (any Error)?
        for _ in 0..<50 {
            do {
                return try await start(name, port: Int.random(in: 20_000...29_999))
            } catch {
                lastError = error
            }
        }
        throw lastError!
    }

    static func start(
        _ name: String, mode: Mode = .http, port: Int = 0, tls: NIOSSLContext? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> TestBackend {
        let box = Mutex<TestBackend?>(nil)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: mode == .tcp)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let backend = box.withLock({ $0 }) else { throw ChannelError.ioOnClosedChannel }
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    switch mode {
                    case .http:
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(BackendHTTPHandler(backend: backend))
                    case .tcp:
                        try channel.pipeline.syncOperations.addHandler(BackendEchoHandler(name: name))
                    }
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        let backend = TestBackend(name: name, channel: channel)
        box.withLock { $0 = backend }
        return backend
    }

    func stop() async throws { try await channel.close() }
}

private final class BackendHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let backend: TestBackend
    var head: HTTPRequestHead?

    init(backend: TestBackend) {
        self.backend = backend
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            backend.requests.add(1, ordering: .relaxed)
            var status = HTTPResponseStatus.ok
            var body = "\(backend.name)\n"
            for (name, value) in head.headers where name.lowercased().hasPrefix("x-") {
                body += "\(name.lowercased()): \(value)\n"
            }
            switch head.uri {
            case "/hang": return
            case "/big": body = String(repeating: "0123456789abcdef", count: 128 * 1024)
            case "/health": status = HTTPResponseStatus(statusCode: backend.healthStatus.load(ordering: .relaxed))
            default: break
            }
            var response = HTTPResponseHead(
                version: head.version, status: status,
                headers: ["content-length": "\(body.utf8.count)", "content-type": "text/plain"])
            if head.uri == "/login" {
                response.headers.add(name: "set-cookie", value: "JSESSIONID=\(backend.name)-session; Path=/")
            }
            let buffer = context.channel.allocator.buffer(string: body)
            let send = { [self] in
                context.write(self.wrapOutboundOut(.head(response)), promise: nil)
                context.write(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
                context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            }
            if head.uri == "/slow" {
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(500)) { send() }
            } else if head.uri == "/held" {
                let loop = context.eventLoop
                let bound = NIOLoopBound(send, eventLoop: loop)
                backend.held.withLock { $0.append { loop.execute { bound.value() } } }
            } else {
                send()
            }
        }
    }
}

private final class BackendEchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let name: String

    init(name: String) {
        self.name = name
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: "\(name)\n")), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(data, promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event { context.close(promise: nil) }
    }
}
