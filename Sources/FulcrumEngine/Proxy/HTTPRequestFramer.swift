import NIOCore

/// Finds the requests in the bytes a client sends, the counterpart of ``HTTPResponseFramer``: each head is
/// checked and parsed in place (the proxy forwards its bytes, with only hop-by-hop and inserted headers
/// rewritten), the body is framed (Content-Length, or chunked passed through as is, extensions and trailers
/// included). Replaces NIOHTTP1's decoder, whose parts the proxy had to encode again (issue #4).
///
/// Stricter than a server needs to be, as a proxy should (RFC 9112 §6.3, §11.2): a request with both
/// Transfer-Encoding and Content-Length, a Transfer-Encoding not ending in `chunked`, conflicting lengths,
/// folded lines, bare CR, a version other than HTTP/1.0 or 1.1, or a head over 64 KiB is refused (400).
/// Empty lines before a request line are skipped (RFC 9112 §2.2).
struct HTTPRequestFramer {
    typealias Error = HTTPResponseFramer.Error

    /// A request head, checked.
    struct Head {
        /// The whole head, request line to the empty line, as received.
        var bytes: ByteBuffer
        /// Where the request target is in `bytes` (offsets from its reader index).
        var targetRange: Range<Int>
        /// Where the header lines start in `bytes` (just after the request line).
        var headersStart: Int
        /// 0 or 1 (HTTP/1.0, HTTP/1.1).
        var minorVersion: Int
        var isHEAD: Bool
        /// The client keeps its connection open after the response (HTTP/1.1 without `connection: close`, or
        /// HTTP/1.0 with `connection: keep-alive`).
        var keepAlive: Bool
        var framing: HTTPResponseFramer.Framing
        /// A `connection`, `keep-alive` or `proxy-connection` line is present.
        var hasHopByHop: Bool

        /// The request target, as sent.
        var target: String {
            bytes.getString(at: bytes.readerIndex + targetRange.lowerBound, length: targetRange.count) ?? ""
        }

        /// The method and target with their separators: `GET /path ` (the request line before its version).
        func withRequestLine<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T {
            bytes.withUnsafeReadableBytes { body(UnsafeRawBufferPointer(rebasing: $0[0...targetRange.upperBound])) }
        }

        /// Calls `body` with each header line's name, value (trimmed) and whole line (CRLF included).
        func forEachHeader(
            _ body: (
                _ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, _ line: UnsafeRawBufferPointer
            ) -> Void
        ) {
            bytes.withUnsafeReadableBytes { raw in
                var index = headersStart
                // the head was checked: every line has a colon and ends with CRLF, the last line is empty
                while raw[index] != 0x0D {
                    let lineStart = index
                    while raw[index] != 0x3A { index += 1 }
                    let name = UnsafeRawBufferPointer(rebasing: raw[lineStart..<index])
                    index += 1
                    while raw[index] == 0x20 || raw[index] == 0x09 { index += 1 }
                    let valueStart = index
                    while raw[index] != 0x0D { index += 1 }
                    var valueEnd = index
                    while valueEnd > valueStart, raw[valueEnd - 1] == 0x20 || raw[valueEnd - 1] == 0x09 {
                        valueEnd -= 1
                    }
                    index += 2
                    body(
                        name, UnsafeRawBufferPointer(rebasing: raw[valueStart..<valueEnd]),
                        UnsafeRawBufferPointer(rebasing: raw[lineStart..<index]))
                }
            }
        }

        /// Every header as strings (for L7 rules; allocates).
        var headerPairs: [(name: String, value: String)] {
            var pairs: [(name: String, value: String)] = []
            forEachHeader { name, value, _ in
                pairs.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
            }
            return pairs
        }

        /// The values of the headers named `lowercaseName`, in order (allocates only for those found).
        func values(of lowercaseName: StaticString) -> [String] {
            var values: [String] = []
            forEachHeader { name, value, _ in
                if HTTPResponseFramer.equalsLowercased(name, lowercaseName) {
                    values.append(String(decoding: value, as: UTF8.self))
                }
            }
            return values
        }
    }

    enum Event {
        case head(Head)
        /// Body bytes to forward as they are (chunk framing included).
        case body(ByteBuffer)
        case end
    }

    private var collector = HTTPHeadCollector()
    /// The syntax check of an incomplete head, and how many of its bytes it has seen.
    private var prefix = PrefixCheck()
    private var prefixChecked = 0
    /// Frames the body of the request whose head was returned last.
    private var body = HTTPResponseFramer()
    private var inBody = false

    /// Whether the next bytes start a new request (the last one ended, or none came yet).
    var awaitsHead: Bool { !inBody }

    /// Whether part of a request has arrived and the rest has not.
    var isPartial: Bool { inBody || collector.hasBytes }

    /// The next event that `input` completes, consuming the bytes it covers; nil when more bytes are needed
    /// (all of `input` was consumed, or what is left is part of a head).
    mutating func next(_ input: inout ByteBuffer) throws(Error) -> Event? {
        if inBody {
            switch try body.next(&input) {
            case .body(let bytes):
                return .body(bytes)
            case .end:
                inBody = false
                return .end
            case nil, .head, .informational:
                return nil
            }
        }
        if !collector.hasBytes { Self.skipEmptyLines(&input) }
        guard let bytes = try collector.collect(&input, limitError: "request head over 64 KiB") else {
            // refuse a malformed head as soon as its bytes show it, not when its end arrives (or never does)
            if let partial = collector.partial {
                try prefix.check(partial.readableBytesView.dropFirst(prefixChecked))
                prefixChecked = partial.readableBytes
            }
            return nil
        }
        prefix = PrefixCheck()
        prefixChecked = 0
        let head = try Self.parse(bytes)
        body.beginBody(head.framing)
        inBody = true
        return .head(head)
    }

    private static func skipEmptyLines(_ input: inout ByteBuffer) {
        while let byte = input.getInteger(at: input.readerIndex, as: UInt8.self), byte == 0x0D || byte == 0x0A {
            input.moveReaderIndex(forwardBy: 1)
        }
    }

    /// Checks and reads a complete head (request line, header lines, empty line).
    static func parse(_ bytes: ByteBuffer) throws(Error) -> Head {
        let result: Result<Head, Error> = bytes.withUnsafeReadableBytes { raw in
            do throws(Error) {
                return .success(try parse(raw, bytes: bytes))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func parse(_ raw: UnsafeRawBufferPointer, bytes: ByteBuffer) throws(Error) -> Head {
        // method SP target SP HTTP/1.x CRLF (the head ends with CRLFCRLF, and CR stops every loop below)
        var index = 0
        while raw[index] != 0x20 {
            guard HTTPResponseFramer.isTokenByte(raw[index]) else { throw Error("malformed method") }
            index += 1
        }
        guard index > 0 else { throw Error("malformed request line") }
        let isHEAD = index == 4 && raw[0] == 0x48 && raw[1] == 0x45 && raw[2] == 0x41 && raw[3] == 0x44
        index += 1
        let targetStart = index
        while raw[index] != 0x20 {
            guard raw[index] > 0x20, raw[index] != 0x7F else { throw Error("malformed request target") }
            index += 1
        }
        guard index > targetStart else { throw Error("malformed request target") }
        let targetRange = targetStart..<index
        index += 1
        guard raw.count >= index + 10, raw[index] == 0x48, raw[index + 1] == 0x54, raw[index + 2] == 0x54,
            raw[index + 3] == 0x50, raw[index + 4] == 0x2F, raw[index + 5] == 0x31, raw[index + 6] == 0x2E,
            raw[index + 7] == 0x30 || raw[index + 7] == 0x31, raw[index + 8] == 0x0D, raw[index + 9] == 0x0A
        else { throw Error("malformed HTTP version") }
        let minor = Int(raw[index + 7] - 0x30)
        index += 10
        let headersStart = index

        let facts = try HTTPResponseFramer.headerFacts(raw, from: &index)
        let framing: HTTPResponseFramer.Framing
        if facts.transferEncoding {
            // a request's body must be chunked last; with a Content-Length as well it is a smuggling attempt
            guard facts.chunked else { throw Error("transfer-encoding not ending in chunked") }
            guard facts.contentLength == nil else { throw Error("both transfer-encoding and content-length") }
            framing = .chunked
        } else {
            framing = .length(facts.contentLength ?? 0)
        }
        let keepAlive = !facts.connectionClose && (minor == 1 || facts.connectionKeepAlive)
        return Head(
            bytes: bytes, targetRange: targetRange, headersStart: headersStart, minorVersion: minor, isHEAD: isHEAD,
            keepAlive: keepAlive, framing: framing, hasHopByHop: facts.hopByHop)
    }

    /// The syntax of a head checked byte by byte as its pieces arrive (the complete head is parsed again by
    /// ``parse(_:)``, which also reads its framing).
    struct PrefixCheck {
        private enum Position {
            case method(count: Int)
            case target(count: Int)
            case version(at: Int)
            case lineFeed
            case lineStart
            case name
            case value
            case finalLineFeed
        }

        private var position = Position.method(count: 0)
        private static let versionPrefix = Array("HTTP/1.".utf8)

        mutating func check(_ bytes: ByteBufferView.SubSequence) throws(Error) {
            for byte in bytes {
                switch position {
                case .method(let count):
                    if byte == 0x20, count > 0 {
                        position = .target(count: 0)
                    } else if HTTPResponseFramer.isTokenByte(byte) {
                        position = .method(count: count + 1)
                    } else {
                        throw Error("malformed method")
                    }
                case .target(let count):
                    if byte == 0x20, count > 0 {
                        position = .version(at: 0)
                    } else if byte > 0x20, byte != 0x7F {
                        position = .target(count: count + 1)
                    } else {
                        throw Error("malformed request target")
                    }
                case .version(let at):
                    let expected: Bool
                    switch at {
                    case 0..<7: expected = byte == Self.versionPrefix[at]
                    case 7: expected = byte == 0x30 || byte == 0x31
                    default: expected = byte == 0x0D
                    }
                    guard expected else { throw Error("malformed HTTP version") }
                    position = at == 8 ? .lineFeed : .version(at: at + 1)
                case .lineFeed:
                    guard byte == 0x0A else { throw Error("bare CR in the head") }
                    position = .lineStart
                case .lineStart:
                    if byte == 0x0D {
                        position = .finalLineFeed
                    } else if HTTPResponseFramer.isTokenByte(byte) {
                        position = .name
                    } else {
                        throw Error("malformed header name")
                    }
                case .name:
                    if byte == 0x3A {
                        position = .value
                    } else if !HTTPResponseFramer.isTokenByte(byte) {
                        throw Error("malformed header name")
                    }
                case .value:
                    if byte == 0x0D {
                        position = .lineFeed
                    } else if !(byte == 0x09 || (byte >= 0x20 && byte != 0x7F) || byte >= 0x80) {
                        throw Error("malformed header value")
                    }
                case .finalLineFeed:
                    guard byte == 0x0A else { throw Error("bare CR in the head") }
                }
            }
        }
    }
}
