import FulcrumEngine
import FulcrumWire
import NIOCore
import NIOPosix
import Testing

/// A UDP member answering `<name>:<payload>`.
final class UDPEchoHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let name: String

    init(name: String) {
        self.name = name
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let reply = context.channel.allocator.buffer(string: "\(name):" + String(buffer: envelope.data))
        context.writeAndFlush(
            wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)), promise: nil)
    }
}

@Suite("UDP listener on loopback", .timeLimit(.minutes(1)))
struct UDPProxyTests {
    static func echo(_ name: String) async throws -> any Channel {
        try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UDPEchoHandler(name: name))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// Sends `count` datagrams from one client socket and returns the replies.
    static func exchange(port: Int, _ payloads: [String]) async throws -> [String] {
        let client = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let target = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        return try await client.executeThenClose { inbound, outbound in
            var replies: [String] = []
            var iterator = inbound.makeAsyncIterator()
            for payload in payloads {
                try await outbound.write(AddressedEnvelope(remoteAddress: target, data: ByteBuffer(string: payload)))
                guard let reply = try await iterator.next() else { break }
                replies.append(String(buffer: reply.data))
            }
            return replies
        }
    }

    @Test("each client gets a session on one member; sessions rotate over members")
    func sessions() async throws {
        let a = try await Self.echo("a")
        let b = try await Self.echo("b")
        let members = [("a", a), ("b", b)].map {
            MemberConfig(id: $0.0, address: "127.0.0.1", port: $0.1.localAddress!.port!)
        }
        let config = AmphoraConfig(
            generation: 1, amphoraId: "amp", vip: "127.0.0.1",
            listeners: [ListenerConfig(id: "l1", protocol: .udp, port: 0, defaultPoolId: "p1")],
            pools: [PoolConfig(id: "p1", protocol: .udp, members: members)])
        let (engine, port) = try await EngineFixture.start(config)
        let first = try await Self.exchange(port: port, ["1", "2", "3"])
        let second = try await Self.exchange(port: port, ["x", "y"])
        let firstMember = try #require(first.first?.split(separator: ":").first)
        #expect(first == ["1", "2", "3"].map { "\(firstMember):\($0)" })
        let other = firstMember == "a" ? "b" : "a"
        #expect(second == ["\(other):x", "\(other):y"])
        let stats = try #require(await engine.stats().listeners["l1"])
        #expect(stats.totalConnections == 2)
        #expect(stats.bytesIn == 5)
        await engine.shutdown()
        try await a.close()
        try await b.close()
    }
}
