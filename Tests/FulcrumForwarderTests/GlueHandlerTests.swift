import NIOCore
import NIOEmbedded
import Testing

@testable import FulcrumForwarder

@Suite("Glue handler")
struct GlueHandlerTests {
    /// Two active embedded channels on one loop, each with its (unpaired) handler.
    static func pair() async throws -> (client: EmbeddedChannel, upstream: EmbeddedChannel) {
        let loop = EmbeddedEventLoop()
        let client = EmbeddedChannel(handler: GlueHandler(), loop: loop)
        let upstream = EmbeddedChannel(handler: GlueHandler(), loop: loop)
        try await client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        try await upstream.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 2)).get()
        return (client, upstream)
    }

    @Test("bytes that arrive before pairing are held and replayed to the partner, then bytes flow both ways")
    func holdsUntilPaired() async throws {
        let (client, upstream) = try await Self.pair()
        try client.writeInbound(ByteBuffer(string: "early"))
        try upstream.writeInbound(ByteBuffer(string: "banner"))
        #expect(try upstream.readOutbound(as: ByteBuffer.self) == nil)
        try GlueHandler.join(client, upstream)
        #expect(try upstream.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "early"))
        #expect(try client.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "banner"))
        try client.writeInbound(ByteBuffer(string: "GET /"))
        #expect(try upstream.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "GET /"))
        try upstream.writeInbound(ByteBuffer(string: "web1"))
        #expect(try client.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "web1"))
    }

    @Test("closing one side closes the other")
    func closePropagates() async throws {
        let (client, upstream) = try await Self.pair()
        try GlueHandler.join(client, upstream)
        try await upstream.close()
        #expect(!client.isActive)
    }

    @Test("a side that closed before pairing closes the other instead")
    func closedBeforePairing() async throws {
        let (client, upstream) = try await Self.pair()
        try await client.close()
        try GlueHandler.join(client, upstream)
        #expect(!upstream.isActive)
    }
}
