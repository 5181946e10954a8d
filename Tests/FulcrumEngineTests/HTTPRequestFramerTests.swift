import NIOCore
import Testing

@testable import FulcrumEngine

/// The client-request framer, without I/O: every case is fed whole, in 3- and 7-byte pieces and byte by byte,
/// and must give the same requests.
@Suite("HTTP request framing (I/O free)")
struct HTTPRequestFramerTests {
    struct Request: Equatable {
        var head: String
        var target: String
        var minorVersion: Int
        var isHEAD: Bool
        var keepAlive: Bool
        var framing: HTTPResponseFramer.Framing
        var hasHopByHop: Bool
        var body = ""
        var ended = false
    }

    /// Feeds `text` in pieces of `piece` bytes (0: whole) and collects the requests; the error of the first
    /// malformed one, if any, and the bytes left unframed.
    static func frame(_ text: String, piece: Int = 0) -> (requests: [Request], error: String?) {
        var framer = HTTPRequestFramer()
        var requests: [Request] = []
        let bytes = Array(text.utf8)
        let size = piece == 0 ? max(bytes.count, 1) : piece
        var offset = 0
        do {
            while offset < bytes.count {
                var input = ByteBuffer(bytes: bytes[offset..<min(offset + size, bytes.count)])
                offset += size
                while let event = try framer.next(&input) {
                    switch event {
                    case .head(let head):
                        requests.append(
                            Request(
                                head: String(buffer: head.bytes), target: head.target,
                                minorVersion: head.minorVersion, isHEAD: head.isHEAD, keepAlive: head.keepAlive,
                                framing: head.framing, hasHopByHop: head.hasHopByHop))
                    case .body(let slice): requests[requests.count - 1].body += String(buffer: slice)
                    case .end: requests[requests.count - 1].ended = true
                    }
                }
                #expect(input.readableBytes == 0, "nil only once the input is consumed")
            }
        } catch {
            return (requests, error.description)
        }
        return (requests, nil)
    }

    /// The same outcome whatever the read sizes (for a malformed body, the same heads: the body bytes before the
    /// malformed one are forwarded as they arrive).
    static func frameAllWays(_ text: String) -> (requests: [Request], error: String?) {
        let whole = frame(text)
        for piece in [1, 3, 7] {
            let pieces = frame(text, piece: piece)
            if whole.error == nil {
                #expect(pieces.requests == whole.requests, "piece \(piece)")
            } else {
                #expect(pieces.requests.map(\.head) == whole.requests.map(\.head), "piece \(piece)")
            }
            // an error may be found sooner in pieces (the syntax of an incomplete head is checked as it arrives)
            #expect((pieces.error == nil) == (whole.error == nil), "piece \(piece)")
        }
        return whole
    }

    @Test("pipelined requests: heads as received, content-length and chunked bodies raw, each ended")
    func pipelined() {
        let get = "GET /a?b=c HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n"
        let post = "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"
        let chunked = "PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
        let chunks = "5;ext=1\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n"
        let head = "HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
        let outcome = Self.frameAllWays(get + post + "hello" + chunked + chunks + head)
        #expect(outcome.error == nil)
        #expect(outcome.requests.map(\.head) == [get, post, chunked, head])
        #expect(outcome.requests.map(\.target) == ["/a?b=c", "/form", "/c", "/"])
        #expect(outcome.requests.map(\.framing) == [.length(0), .length(5), .chunked, .length(0)])
        #expect(outcome.requests.map(\.body) == ["", "hello", chunks, ""])
        #expect(outcome.requests.allSatisfy { $0.ended })
        #expect(outcome.requests.map(\.isHEAD) == [false, false, false, true])
        #expect(outcome.requests.map(\.minorVersion) == [1, 1, 1, 0])
        #expect(outcome.requests.map(\.hasHopByHop) == [false, false, false, true])
    }

    @Test("keep-alive: HTTP/1.1 unless connection: close, HTTP/1.0 only with keep-alive")
    func keepAlive() {
        let cases: [(String, Bool)] = [
            ("GET / HTTP/1.1\r\n\r\n", true),
            ("GET / HTTP/1.1\r\nConnection: Keep-Alive, close\r\n\r\n", false),
            ("GET / HTTP/1.0\r\n\r\n", false),
            ("GET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n", true),
        ]
        for (text, keepAlive) in cases {
            #expect(Self.frame(text).requests.first?.keepAlive == keepAlive, "\(text.debugDescription)")
        }
    }

    @Test("empty lines before a request line are skipped")
    func leadingEmptyLines() {
        let outcome = Self.frameAllWays("\r\n\r\nGET / HTTP/1.1\r\n\r\n\r\nGET /2 HTTP/1.1\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.requests.map(\.target) == ["/", "/2"])
    }

    @Test(
        "malformed requests are refused",
        arguments: [
            "GET / HTTP/2.0\r\n\r\n",
            "GET / HTTP/1.1 \r\n\r\n",
            "GET  / HTTP/1.1\r\n\r\n",
            "G(T / HTTP/1.1\r\n\r\n",
            "GET /a\u{7F} HTTP/1.1\r\n\r\n",
            "GET /\r\n\r\n",
            "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
            "GET / HTTP/1.1\r\n Host: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\ry\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\u{0}\r\n\r\n",
            "GET / HTTP/1.1\r\n: x\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: a\nb\r\n\r\n",
        ])
    func malformed(_ text: String) {
        let outcome = Self.frameAllWays(text)
        #expect(outcome.error != nil, "\(text.debugDescription)")
        #expect(outcome.requests.allSatisfy { !$0.ended })
    }

    @Test("a malformed head is refused from its first bad byte, before its end arrives")
    func earlyRefusal() throws {
        for prefix in ["GE\u{1}", "GET / HTTP/3", "GET / HTTP/1.1\r\nHo st", "GET / HTTP/1.1\r\nA: b\u{0}"] {
            var framer = HTTPRequestFramer()
            var input = ByteBuffer(string: prefix)
            #expect(throws: HTTPResponseFramer.Error.self, "\(prefix.debugDescription)") {
                _ = try framer.next(&input)
            }
        }
        // an incomplete head that is well formed so far waits for more
        var framer = HTTPRequestFramer()
        var input = ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n")
        #expect(try framer.next(&input) == nil)
        #expect(framer.isPartial)
    }

    @Test("a head over 64 KiB is refused before the whole of it is buffered")
    func oversizedHead() {
        var framer = HTTPRequestFramer()
        var refused = false
        var fed = 0
        var input = ByteBuffer(string: "GET / HTTP/1.1\r\n")
        let line = ByteBuffer(string: "X-Filler: " + String(repeating: "a", count: 1000) + "\r\n")
        while !refused, fed < 200 {
            do {
                _ = try framer.next(&input)
                input = line
                fed += 1
            } catch {
                refused = true
            }
        }
        #expect(refused)
        #expect(fed <= 66)
    }

    @Test("headers: names and trimmed values in order, and the values of one name")
    func headers() throws {
        let text = "GET /p HTTP/1.1\r\nHost:  x \r\nCookie: a=1\r\nX-Empty:\r\ncookie: SRV=m1\r\n\r\n"
        var input = ByteBuffer(string: text)
        var framer = HTTPRequestFramer()
        guard case .head(let head) = try framer.next(&input) else {
            Issue.record("no head")
            return
        }
        let pairs = head.headerPairs.map { "\($0.name)=\($0.value)" }
        #expect(pairs == ["Host=x", "Cookie=a=1", "X-Empty=", "cookie=SRV=m1"])
        #expect(head.values(of: "cookie") == ["a=1", "SRV=m1"])
        #expect(HTTPProxyHandler.cookie("SRV", head) == "m1")
        #expect(head.withRequestLine { String(decoding: $0, as: UTF8.self) } == "GET /p ")
    }
}
