import NIOCore
import Testing

@testable import FulcrumEngine

/// The member-response framer and head rewrite, without I/O: every case is fed whole, in 3-byte pieces and
/// byte by byte, and must give the same events.
@Suite("HTTP response framing (I/O free)")
struct HTTPResponseFramerTests {
    struct Outcome: Equatable {
        var heads: [String] = []
        var informational: [String] = []
        var body = ""
        var ended = false
        var leftover = ""
        var memberKeepsAlive = false
        var framing: HTTPResponseFramer.Framing?
    }

    /// Feeds `text` in pieces of `piece` bytes (0: whole) and collects the events.
    static func frame(
        _ text: String, piece: Int = 0, bodyAllowed: Bool = true, dechunk: Bool = false, closeAtEnd: Bool = false
    ) throws(HTTPResponseFramer.Error) -> Outcome {
        var framer = HTTPResponseFramer()
        framer.begin(bodyAllowed: bodyAllowed, dechunk: dechunk)
        var outcome = Outcome()
        let bytes = Array(text.utf8)
        let size = piece == 0 ? max(bytes.count, 1) : piece
        var offset = 0
        while offset < bytes.count, !outcome.ended {
            var input = ByteBuffer(bytes: bytes[offset..<min(offset + size, bytes.count)])
            offset += size
            while let event = try framer.next(&input) {
                switch event {
                case .head(let head):
                    outcome.heads.append(String(buffer: head.bytes))
                    outcome.framing = head.framing
                case .informational(let head): outcome.informational.append(String(buffer: head))
                case .body(let slice): outcome.body += String(buffer: slice)
                case .end: outcome.ended = true
                }
                if outcome.ended { break }
            }
            if outcome.ended {
                outcome.leftover =
                    String(buffer: input) + String(decoding: bytes[min(offset, bytes.count)...], as: UTF8.self)
            }
        }
        if closeAtEnd, !outcome.ended { outcome.ended = framer.closed() }
        outcome.memberKeepsAlive = framer.memberKeepsAlive
        return outcome
    }

    /// The same outcome whatever the read sizes.
    static func frameAllWays(
        _ text: String, bodyAllowed: Bool = true, dechunk: Bool = false, closeAtEnd: Bool = false
    ) throws -> Outcome {
        let whole = try frame(text, bodyAllowed: bodyAllowed, dechunk: dechunk, closeAtEnd: closeAtEnd)
        for piece in [1, 3, 7] {
            #expect(
                try frame(text, piece: piece, bodyAllowed: bodyAllowed, dechunk: dechunk, closeAtEnd: closeAtEnd)
                    == whole, "piece \(piece)")
        }
        return whole
    }

    static let plainHead = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n"

    @Test("content-length: head, exactly that many body bytes, end; later bytes are left over")
    func contentLength() throws {
        let outcome = try Self.frameAllWays(Self.plainHead + "web1\nEXTRA")
        #expect(outcome.heads == [Self.plainHead])
        #expect(outcome.body == "web1\n")
        #expect(outcome.ended && outcome.memberKeepsAlive)
        #expect(outcome.framing == .length(5))
        #expect(try Self.frame(Self.plainHead + "web1\nEXTRA").leftover == "EXTRA")
    }

    @Test("chunked: passed through byte for byte (extensions and trailers included), or reduced to its data")
    func chunked() throws {
        let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n"
        let body = "5;ext=1\r\nhello\r\n1A\r\n" + String(repeating: "z", count: 26) + "\r\n0\r\nX-Trailer: t\r\n\r\n"
        let raw = try Self.frameAllWays(head + body)
        #expect(raw.body == body && raw.ended && raw.framing == .chunked && raw.memberKeepsAlive)
        let data = try Self.frameAllWays(head + body, dechunk: true)
        #expect(data.body == "hello" + String(repeating: "z", count: 26) && data.ended)
        #expect(try Self.frame(head + "0\r\n\r\nNEXT").leftover == "NEXT")
    }

    @Test("no body after HEAD, 204 and 304 whatever the headers say; 1xx heads come before the final one")
    func bodiless() throws {
        let head = try Self.frameAllWays(Self.plainHead, bodyAllowed: false)
        #expect(head.ended && head.body.isEmpty && head.framing == HTTPResponseFramer.Framing.none)
        for status in ["204 No Content", "304 Not Modified"] {
            let outcome = try Self.frameAllWays("HTTP/1.1 \(status)\r\nContent-Length: 9\r\n\r\n")
            #expect(outcome.ended && outcome.body.isEmpty)
        }
        let continued = try Self.frameAllWays("HTTP/1.1 100 Continue\r\n\r\n" + Self.plainHead + "web1\n")
        #expect(continued.informational == ["HTTP/1.1 100 Continue\r\n\r\n"])
        #expect(continued.heads == [Self.plainHead] && continued.body == "web1\n" && continued.ended)
    }

    @Test("without length or chunked framing the body runs until the member closes, which ends it")
    func untilClose() throws {
        for head in [
            "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
            "HTTP/1.0 200 OK\r\n\r\n",
        ] {
            let outcome = try Self.frameAllWays(head + "all of it", closeAtEnd: true)
            #expect(outcome.body == "all of it" && outcome.ended && !outcome.memberKeepsAlive, "\(head)")
            #expect(outcome.framing == .untilClose)
        }
    }

    @Test("whether the member keeps its connection: HTTP/1.1 unless close, HTTP/1.0 only with keep-alive")
    func memberKeepAlive() throws {
        let cases: [(String, Bool)] = [
            ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true),
            ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: Close\r\n\r\n", false),
            ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nconnection: upgrade, close\r\n\r\n", false),
            ("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false),
            ("HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: Keep-Alive\r\n\r\n", true),
        ]
        for (head, keeps) in cases {
            let outcome = try Self.frameAllWays(head)
            #expect(outcome.ended && outcome.memberKeepsAlive == keeps, "\(head)")
        }
    }

    @Test(
        "malformed responses are refused",
        arguments: [
            "HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "http/1.1 200 OK\r\n\r\n",
            "garbage\r\n\r\n", "HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", "HTTP/1.1 200 OK\r\nBad name: x\r\n\r\n",
            "HTTP/1.1 200 OK\r\nName : x\r\n\r\n", "HTTP/1.1 200 OK\r\nA: 1\r\n folded\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "HTTP/1.1 200 OK\r\nA: a\rb\r\n\r\n", "HTTP/1.1 101 Switching Protocols\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
        ])
    func malformed(_ text: String) {
        for piece in [0, 1] {
            #expect(throws: HTTPResponseFramer.Error.self, "piece \(piece)") {
                try Self.frame(text, piece: piece)
            }
        }
    }

    @Test("a head over 64 KiB is refused before the whole of it is buffered; bytes nobody asked for are refused")
    func limits() throws {
        let huge = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 70 * 1024) + "\r\n\r\n"
        #expect(throws: HTTPResponseFramer.Error.self) { try Self.frame(huge, piece: 4096) }
        #expect(throws: HTTPResponseFramer.Error.self) { try Self.frame(huge) }
        var framer = HTTPResponseFramer()
        var stray = ByteBuffer(string: "HTTP/1.1 200 OK\r\n\r\n")
        #expect(throws: HTTPResponseFramer.Error.self) { try framer.next(&stray) }
    }

    @Test("the client's head: its version, hop-by-hop and contradicting headers gone, cookie and close added")
    func rewrite() throws {
        let member =
            "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nProxy-Connection: x\r\n"
            + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\nCache-Control: max-age=60\r\n"
            + "Set-Cookie: JSESSIONID=abc; Path=/\r\nServer: nginx\r\n\r\n"
        let head = try HTTPResponseFramer.parse(ByteBuffer(string: member), bodyAllowed: true)
        var learned: [String] = []
        let client = head.rewritten(
            .init(
                clientMinorVersion: 1, closeClient: true, dechunked: false, insertCookie: "SRV=m1",
                appCookieName: "JSESSIONID"), allocator: ByteBufferAllocator()
        ) { learned.append($0) }
        #expect(
            String(buffer: client)
                == "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: JSESSIONID=abc; Path=/\r\n"
                + "Server: nginx\r\nset-cookie: SRV=m1; path=/\r\ncache-control: private\r\nconnection: close\r\n\r\n")
        #expect(learned == ["abc"])

        let old = head.rewritten(
            .init(clientMinorVersion: 0, closeClient: false, dechunked: true, insertCookie: nil, appCookieName: nil),
            allocator: ByteBufferAllocator()
        ) { _ in Issue.record("no app cookie asked for") }
        #expect(
            String(buffer: old)
                == "HTTP/1.0 200 OK\r\nCache-Control: max-age=60\r\nSet-Cookie: JSESSIONID=abc; Path=/\r\n"
                + "Server: nginx\r\nconnection: keep-alive\r\n\r\n")
    }
}
