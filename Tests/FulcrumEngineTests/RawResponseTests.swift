import FulcrumEngine
import FulcrumWire
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// A member that answers each request path with fixed bytes, to exercise response framings the NIO test backend
/// never produces (chunked with trailers, close-delimited, 1xx, malformed).
final class ScriptedBackend: Sendable {
    struct Reply: Sendable {
        var bytes: String
        var closeAfter = false
        /// Body bytes to receive after the head before replying.
        var awaitBody = 0
        /// `100 Continue` goes out at once, the reply after the body.
        var sendContinue = false
    }

    let channel: any Channel
    let connections = Atomic<Int>(0)
    /// Every byte the member received, all connections together.
    let received = Mutex<[UInt8]>([])
    var port: Int { channel.localAddress!.port! }

    private init(channel: any Channel) { self.channel = channel }

    static func start(_ replies: [String: Reply]) async throws -> ScriptedBackend {
        let box = Mutex<ScriptedBackend?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let backend = box.withLock { $0 }
                backend?.connections.add(1, ordering: .relaxed)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptedHandler(
                            replies: replies, record: { bytes in backend?.received.withLock { $0 += bytes } }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let backend = ScriptedBackend(channel: channel)
        box.withLock { $0 = backend }
        return backend
    }

    func stop() async throws { try await channel.close() }
}

private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let replies: [String: ScriptedBackend.Reply]
    var received = ByteBuffer()
    /// A reply waiting for this many more body bytes.
    var waiting: (ScriptedBackend.Reply, Int)?

    let record: ([UInt8]) -> Void

    init(replies: [String: ScriptedBackend.Reply], record: @escaping ([UInt8]) -> Void) {
        self.replies = replies
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        record(Array(bytes.readableBytesView))
        received.writeBuffer(&bytes)
        while true {
            if let (reply, remaining) = waiting {
                guard received.readableBytes >= remaining else { return }
                received.moveReaderIndex(forwardBy: remaining)
                waiting = nil
                send(reply, context)
                continue
            }
            let bytes = Array(received.readableBytesView)
            guard
                let end = (0..<max(bytes.count - 3, 0)).first(where: {
                    bytes[$0..<$0 + 4].elementsEqual([13, 10, 13, 10])
                })
            else { return }
            let head = String(decoding: bytes[..<end], as: UTF8.self)
            received.moveReaderIndex(forwardBy: end + 4)
            let path = head.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
            let reply = replies[path] ?? .init(bytes: "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            if reply.awaitBody > 0 {
                if reply.sendContinue {
                    context.writeAndFlush(
                        wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 100 Continue\r\n\r\n")), promise: nil)
                }
                waiting = (reply, reply.awaitBody)
            } else {
                send(reply, context)
            }
        }
    }

    private func send(_ reply: ScriptedBackend.Reply, _ context: ChannelHandlerContext) {
        let written = context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: reply.bytes)))
        if reply.closeAfter { written.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }
}

@Suite("HTTP responses forwarded as bytes, on loopback", .timeLimit(.minutes(1)))
struct RawResponseTests {
    static let chunkedBody = "4\r\nweb1\r\n3;x=y\r\n-ok\r\n0\r\nX-Trailer: t\r\n\r\n"
    static let replies: [String: ScriptedBackend.Reply] = [
        "/chunked": .init(bytes: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedBody),
        "/plain": .init(bytes: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nplain"),
        "/until-close": .init(bytes: "HTTP/1.1 200 OK\r\nServer: old\r\n\r\nto the end", closeAfter: true),
        "/member-closes": .init(bytes: "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbye"),
        "/head": .init(bytes: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"),
        "/garbage": .init(bytes: "HTTP/1.1 2x0 Nope\r\n\r\n"),
        "/continue": .init(
            bytes: "HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone", awaitBody: 5, sendContinue: true),
        "/upload": .init(bytes: "HTTP/1.1 204 No Content\r\n\r\n", awaitBody: 15),
    ]

    static func start() async throws -> (ScriptedBackend, Engine, Int) {
        let backend = try await ScriptedBackend.start(replies)
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(
                members: [.init(id: "scripted", address: "127.0.0.1", port: backend.port)]))
        return (backend, engine, port)
    }

    @Test("a chunked response reaches an HTTP/1.1 client byte for byte, and the connection carries the next request")
    func chunkedPassThrough() async throws {
        let (backend, engine, port) = try await Self.start()
        try await withConnection(port: port) { conn in
            try await conn.send("GET /chunked HTTP/1.1\r\nHost: t\r\n\r\n")
            var head: [String] = []
            while let line = try await conn.readLine(), !line.isEmpty { head.append(line) }
            #expect(head.first == "HTTP/1.1 200 OK")
            #expect(head.contains("Transfer-Encoding: chunked"))
            var body = ""
            // (readLine drops "\r\n", one Character)
            while !body.hasSuffix("X-Trailer: t\r\n\r\n"), let line = try await conn.readLine() {
                body += line + "\r\n"
            }
            #expect(body == Self.chunkedBody)
            let next = try #require(try await conn.get("/plain"))
            #expect(next.status == 200 && next.body == "plain")
        }
        #expect(backend.connections.load(ordering: .relaxed) == 1)
        await engine.shutdown()
        try await backend.stop()
    }

    @Test("an HTTP/1.0 client gets the chunked body's data and a closed connection")
    func dechunkedForHTTP10() async throws {
        let (backend, engine, port) = try await Self.start()
        let text = try await withConnection(port: port) { conn in
            try await conn.send("GET /chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            return try await conn.readToEnd()
        }
        #expect(text.hasPrefix("HTTP/1.0 200 OK\r\n"))
        #expect(!text.lowercased().contains("transfer-encoding"))
        #expect(text.contains("connection: close\r\n"))
        #expect(text.hasSuffix("\r\n\r\nweb1-ok"))
        await engine.shutdown()
        try await backend.stop()
    }

    @Test("a body that ends when the member closes ends the client connection too, in full")
    func untilClose() async throws {
        let (backend, engine, port) = try await Self.start()
        let text = try await withConnection(port: port) { conn in
            try await conn.send("GET /until-close HTTP/1.1\r\nHost: t\r\n\r\n")
            return try await conn.readToEnd()
        }
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\nServer: old\r\nconnection: close\r\n\r\n"))
        #expect(text.hasSuffix("\r\n\r\nto the end"))
        await engine.shutdown()
        try await backend.stop()
    }

    @Test("a member that says connection: close is not reused; the client's connection stays open")
    func memberCloses() async throws {
        let (backend, engine, port) = try await Self.start()
        try await withConnection(port: port) { conn in
            for _ in 0..<3 {
                let response = try #require(try await conn.get("/member-closes"))
                #expect(response.status == 200 && response.body == "bye" && response.header("connection") == nil)
            }
        }
        #expect(backend.connections.load(ordering: .relaxed) == 3)
        await engine.shutdown()
        try await backend.stop()
    }

    @Test("a malformed response is answered 502 and counted as a request error")
    func malformed() async throws {
        let (backend, engine, port) = try await Self.start()
        let response = try #require(try await fetch(port: port, "/garbage"))
        #expect(response.status == 502)
        let errors = await engine.stats().listeners["l1"]?.requestErrors
        #expect(errors == 1)
        await engine.shutdown()
        try await backend.stop()
    }

    @Test("Expect: 100-continue: the member's 100 reaches the client, then the final response")
    func continueFirst() async throws {
        let (backend, engine, port) = try await Self.start()
        try await withConnection(port: port) { conn in
            try await conn.send(
                "POST /continue HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            #expect(try await conn.readLine() == "HTTP/1.1 100 Continue")
            #expect(try await conn.readLine() == "")
            try await conn.send("hello")
            let response = try #require(try await conn.readResponse())
            #expect(response.status == 201 && response.body == "done")
        }
        await engine.shutdown()
        try await backend.stop()
    }

    @Test("HEAD: the head's content-length is kept, no body follows, the connection goes on")
    func head() async throws {
        let (backend, engine, port) = try await Self.start()
        try await withConnection(port: port) { conn in
            try await conn.send("HEAD /head HTTP/1.1\r\nHost: t\r\n\r\n")
            var head: [String] = []
            while let line = try await conn.readLine(), !line.isEmpty { head.append(line) }
            #expect(head.contains("Content-Length: 5"))
            let next = try #require(try await conn.get("/plain"))
            #expect(next.body == "plain")
        }
        #expect(backend.connections.load(ordering: .relaxed) == 1)
        await engine.shutdown()
        try await backend.stop()
    }

    @Test("the member gets HTTP/1.1, no hop-by-hop headers, inserted headers replacing the client's, a chunked body")
    func requestEncoding() async throws {
        let backend = try await ScriptedBackend.start(Self.replies)
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(
                members: [.init(id: "scripted", address: "127.0.0.1", port: backend.port)],
                insertHeaders: ["X-Forwarded-For": "true", "X-Forwarded-Proto": "true"]))
        try await withConnection(port: port) { conn in
            try await conn.send(
                "POST /upload HTTP/1.1\r\nHost: t\r\nConnection: keep-alive, x-hop\r\nx-forwarded-proto: gopher\r\n"
                    + "X-Forwarded-For: 10.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n")
            try await conn.send("2\r\nlo\r\n0\r\n\r\n")
            let response = try #require(try await conn.readResponse())
            #expect(response.status == 204)
        }
        let received = String(decoding: backend.received.withLock { $0 }, as: UTF8.self)
        #expect(
            received
                == "POST /upload HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 10.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                + "X-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n")
        await engine.shutdown()
        try await backend.stop()
    }

    @Test("bytes are counted exactly: the client's and the member's, both ways")
    func exactByteCounts() async throws {
        let (backend, engine, port) = try await Self.start()
        let request = "GET /plain HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        let text = try await withConnection(port: port) { conn in
            try await conn.send(request)
            return try await conn.readToEnd()
        }
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nconnection: close\r\n\r\nplain")
        #expect(
            try await EngineFixture.eventually {
                await engine.stats().listeners["l1"]?.activeConnections == 0
            })
        let stats = await engine.stats()
        let listener = try #require(stats.listeners["l1"])
        let member = try #require(stats.members["scripted"])
        #expect(listener.bytesIn == UInt64(request.utf8.count) && listener.bytesOut == UInt64(text.utf8.count))
        #expect(member.bytesIn == UInt64("GET /plain HTTP/1.1\r\nHost: t\r\n\r\n".utf8.count))
        #expect(member.bytesOut == UInt64(try #require(Self.replies["/plain"]).bytes.utf8.count))
        await engine.shutdown()
        try await backend.stop()
    }

    @Test("timeout_client_data: silent close between requests, 408 for a partial or absent one, none mid-exchange")
    func clientTimeout() async throws {
        let slow = try await TestBackend.start("slow")
        let timeouts = ListenerTimeouts(clientDataMs: 1_000, memberConnectMs: 5_000, memberDataMs: 30_000)
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(members: [EngineFixture.member(slow)], timeouts: timeouts))
        try await withConnection(port: port) { conn in
            // the member holds /held until released, well past the client timeout: the exchange is not cut
            try await conn.send("GET /held HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await EngineFixture.eventually { slow.heldCount == 1 })
            try await Task.sleep(for: .milliseconds(2_500))
            slow.releaseHeld()
            let response = try #require(try await conn.readResponse())
            #expect(response.status == 200)
            // then, idle between requests, the connection closes after about a second
            let idleSince = ContinuousClock.now
            #expect(try await conn.readToEnd() == "")
            let idle = ContinuousClock.now - idleSince
            #expect(idle >= .milliseconds(500) && idle < .seconds(10), "\(idle)")
        }
        // a client that sends part of a request, or nothing on a new connection, gets 408 (as from HAProxy)
        for partial in ["GET /x HTTP/1.1\r\nHost:", "POST /x HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc", ""] {
            let (response, rest) = try await withConnection(port: port) { conn in
                if !partial.isEmpty { try await conn.send(partial) }
                return (try await conn.readResponse(), try await conn.readToEnd())
            }
            #expect(response?.status == 408 && rest == "", "\(partial.debugDescription)")
        }
        #expect(try await EngineFixture.eventually { await engine.stats().listeners["l1"]?.requestErrors == 3 })
        await engine.shutdown()
        try await slow.stop()
    }
}
