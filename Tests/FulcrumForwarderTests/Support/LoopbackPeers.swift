import FulcrumTestSupport
import NIOCore
import NIOPosix

/// A TCP backend on 127.0.0.1 that reads its client's bytes until the client half-closes, then answers
/// `<name> got <bytes>` and closes: a reply proves both directions and the half-close crossed the forwarder.
final class AnsweringBackend: Sendable {
    let channel: any Channel

    var port: Int { channel.localAddress!.port! }

    private init(channel: any Channel) { self.channel = channel }

    static func start(_ name: String) async throws -> AnsweringBackend {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AnswerHandler(name: name))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return AnsweringBackend(channel: channel)
    }

    func stop() async throws { try await channel.close() }
}

private final class AnswerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let name: String
    var received = ""

    init(name: String) { self.name = name }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received += String(buffer: unwrapInboundIn(data))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let event = event as? ChannelEvent, case .inputClosed = event else { return }
        let answer = context.channel.allocator.buffer(string: "\(name) got \(received)")
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(answer)).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// The loopback address the tests' floating IPs listen on: its own, not 127.0.0.1 where the rest of the suite's
/// servers run in parallel.
let floatingHost = "127.0.77.1"

/// Connects to `floatingHost`:`port`, sends `text`, half-closes and reads until the server closes.
func exchange(port: Int, _ text: String) async throws -> String {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .channelOption(.allowRemoteHalfClosure, value: true)
        .connect(host: floatingHost, port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                    wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        try await outbound.write(ByteBuffer(string: text))
        outbound.finish()
        var answer = ""
        for try await buffer in inbound { answer += String(buffer: buffer) }
        return answer
    }
}

/// Whether a TCP connection to `floatingHost`:`port` is refused.
func isRefused(port: Int) async -> Bool {
    do {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: floatingHost, port: port).get()
        try? await channel.close()
        return false
    } catch {
        return true
    }
}

/// A port that was free a moment ago (bound to 0 and released).
func freePort() async throws -> Int {
    try await LoopbackPort.free(host: floatingHost)
}

/// Re-evaluates `condition` every 20 ms until it holds or `timeout` passes (the forwarder polls its store).
func eventually(
    timeout: Duration = .seconds(10), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
