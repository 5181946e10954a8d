import NIOCore

/// Finds where a member's HTTP/1.x response begins and ends in the bytes read from its connection, so the proxy
/// can write those bytes to the client as they are instead of decoding them into NIOHTTP1 values and encoding
/// them again (the larger part of the HTTP path's cost, measured in issue #4). The head is checked and parsed in
/// place; the body is counted (Content-Length), walked (chunked, passed through as is, or reduced to its data
/// for an HTTP/1.0 client) or read until the member closes. I/O-free: ``next(_:)`` takes bytes and returns
/// what they complete.
///
/// One framer per member connection; ``begin(bodyAllowed:dechunk:)`` before each request's response.
struct HTTPResponseFramer {

    /// How the body after a head is delimited.
    enum Framing: Equatable {
        /// No body: a response to HEAD, 204, 304.
        case none
        case length(Int)
        case chunked
        /// Until the member closes the connection.
        case untilClose
    }

    /// A final (non-1xx) response head, checked.
    struct Head {
        /// The whole head, status line to the empty line, as received.
        var bytes: ByteBuffer
        var status: Int
        /// 0 or 1 (HTTP/1.0, HTTP/1.1).
        var minorVersion: Int
        var framing: Framing
        /// The member keeps its connection open after this response (HTTP/1.1 without `connection: close`, or
        /// HTTP/1.0 with `connection: keep-alive`).
        var memberKeepsAlive: Bool
    }

    enum Event {
        case head(Head)
        /// A 1xx head (100 Continue, 103 Early Hints), as received; the final head follows.
        case informational(ByteBuffer)
        /// Body bytes to forward: raw (chunk framing included) or, when de-chunking, chunk data only.
        case body(ByteBuffer)
        case end
    }

    struct Error: Swift.Error, Equatable, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    private enum State {
        case head
        case length(remaining: Int)
        case chunkSize(value: Int, digits: Int, inExtension: Bool, sawCR: Bool)
        case chunkData(remaining: Int)
        case chunkDataEnd(sawCR: Bool)
        /// After the last chunk: trailer lines until an empty one.
        case trailers(lineLength: Int, sawCR: Bool)
        case untilClose
        /// The body ended: ``next(_:)`` returns ``Event/end`` once.
        case ending
        case done
    }

    private var state = State.done
    private var collector = HTTPHeadCollector()
    private var bodyAllowed = true
    private var dechunk = false
    /// Whether the last final head let the member keep its connection open.
    private(set) var memberKeepsAlive = false

    /// Expects the response to a new request: `bodyAllowed` is false for HEAD; `dechunk` reduces a chunked body
    /// to its data (for an HTTP/1.0 client).
    mutating func begin(bodyAllowed: Bool, dechunk: Bool) {
        state = .head
        collector.reset()
        self.bodyAllowed = bodyAllowed
        self.dechunk = dechunk
        memberKeepsAlive = false
    }

    /// Frames a body whose framing is already known (a request's, from its head, in a framer on which
    /// ``begin(bodyAllowed:dechunk:)`` is never called, so nothing is de-chunked): ``next(_:)`` returns its
    /// ``Event/body(_:)`` pieces, raw, then ``Event/end``.
    mutating func beginBody(_ framing: Framing) {
        switch framing {
        case .none, .length(0): state = .ending
        case .length(let count): state = .length(remaining: count)
        case .chunked: state = .chunkSize(value: 0, digits: 0, inExtension: false, sawCR: false)
        case .untilClose: state = .untilClose
        }
    }

    /// Whether a response is under way (between ``begin(bodyAllowed:dechunk:)`` and ``Event/end``).
    var isActive: Bool {
        if case .done = state { return false }
        return true
    }

    /// Whether any byte of the current response has arrived.
    var hasStarted: Bool {
        if case .head = state { return collector.hasBytes }
        return isActive
    }

    /// The member closed its connection: true when that ends the response (a body read until close).
    mutating func closed() -> Bool {
        guard case .untilClose = state else { return false }
        state = .done
        return true
    }

    /// The next event that `input` completes, consuming the bytes it covers; nil when more bytes are needed
    /// (all of `input` was consumed). After ``Event/end`` the bytes left in `input` are not part of the response.
    mutating func next(_ input: inout ByteBuffer) throws(Error) -> Event? {
        switch state {
        case .done:
            if input.readableBytes > 0 { throw Error("bytes from the member with no response expected") }
            return nil
        case .ending:
            state = .done
            return .end
        case .head:
            return try nextHead(&input)
        case .length(let remaining):
            guard input.readableBytes > 0 else { return nil }
            let count = min(remaining, input.readableBytes)
            let slice = input.readSlice(length: count)!
            state = count == remaining ? .ending : .length(remaining: remaining - count)
            return .body(slice)
        case .untilClose:
            guard input.readableBytes > 0 else { return nil }
            return .body(input.readSlice(length: input.readableBytes)!)
        case .chunkSize, .chunkData, .chunkDataEnd, .trailers:
            return try nextChunked(&input)
        }
    }

    // MARK: head

    private mutating func nextHead(_ input: inout ByteBuffer) throws(Error) -> Event? {
        guard let headBytes = try collector.collect(&input, limitError: "response head over 64 KiB") else { return nil }
        let head = try Self.parse(headBytes, bodyAllowed: bodyAllowed)
        if head.status < 200 {
            // 101 would switch protocols, which the proxy never asks for (it strips `connection: upgrade`)
            if head.status == 101 { throw Error("101 Switching Protocols from the member") }
            return .informational(headBytes)
        }
        memberKeepsAlive = head.memberKeepsAlive
        beginBody(head.framing)
        return .head(head)
    }

    /// Checks and reads a complete head (status line, header lines, empty line).
    static func parse(_ bytes: ByteBuffer, bodyAllowed: Bool) throws(Error) -> Head {
        let result: Result<Head, Error> = bytes.withUnsafeReadableBytes { raw in
            do throws(Error) {
                return .success(try parse(raw, bytes: bytes, bodyAllowed: bodyAllowed))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func parse(
        _ raw: UnsafeRawBufferPointer, bytes: ByteBuffer, bodyAllowed: Bool
    ) throws(Error)
        -> Head
    {
        // "HTTP/1.x SSS[ reason]\r\n"
        guard raw.count >= 14, raw[0] == 0x48, raw[1] == 0x54, raw[2] == 0x54, raw[3] == 0x50, raw[4] == 0x2F,
            raw[5] == 0x31, raw[6] == 0x2E, raw[7] == 0x30 || raw[7] == 0x31, raw[8] == 0x20
        else { throw Error("malformed status line") }
        let minor = Int(raw[7] - 0x30)
        var status = 0
        for index in 9..<12 {
            guard raw[index] >= 0x30, raw[index] <= 0x39 else { throw Error("malformed status code") }
            status = status * 10 + Int(raw[index] - 0x30)
        }
        guard status >= 100, raw[12] == 0x20 || raw[12] == 0x0D else { throw Error("malformed status line") }
        var index = 12
        while raw[index] != 0x0D {
            let byte = raw[index]
            guard byte == 0x09 || (byte >= 0x20 && byte != 0x7F) else { throw Error("malformed reason phrase") }
            index += 1
        }
        guard raw[index + 1] == 0x0A else { throw Error("malformed status line") }
        index += 2

        let facts = try Self.headerFacts(raw, from: &index)

        let framing: Framing
        if !bodyAllowed || status < 200 || status == 204 || status == 304 {
            framing = .none
        } else if facts.transferEncoding {
            // RFC 9112 §6.3: transfer-encoding overrides content-length; not ending in chunked means until close
            framing = facts.chunked ? .chunked : .untilClose
        } else if let contentLength = facts.contentLength {
            framing = .length(contentLength)
        } else {
            framing = .untilClose
        }
        let keepsAlive =
            framing != .untilClose && !facts.connectionClose && (minor == 1 || facts.connectionKeepAlive)
        return Head(bytes: bytes, status: status, minorVersion: minor, framing: framing, memberKeepsAlive: keepsAlive)
    }

    /// What the header lines of a head say about framing and the connection.
    struct HeaderFacts {
        var contentLength: Int?
        var transferEncoding = false
        /// The last transfer coding is `chunked`.
        var chunked = false
        var connectionClose = false
        var connectionKeepAlive = false
        /// A `connection`, `keep-alive` or `proxy-connection` line is present (a proxy drops them).
        var hopByHop = false
    }

    /// Checks the header lines from `index` (just after the start line) to the empty line, leaving `index` on
    /// its CR. The head is known to end with CRLFCRLF, so no check runs past the buffer.
    static func headerFacts(_ raw: UnsafeRawBufferPointer, from index: inout Int) throws(Error) -> HeaderFacts {
        var facts = HeaderFacts()
        while raw[index] != 0x0D {
            let nameStart = index
            while raw[index] != 0x3A {
                guard Self.isTokenByte(raw[index]) else { throw Error("malformed header name") }
                index += 1
            }
            let nameEnd = index
            guard nameEnd > nameStart else { throw Error("empty header name") }
            index += 1
            while raw[index] == 0x20 || raw[index] == 0x09 { index += 1 }
            let valueStart = index
            while raw[index] != 0x0D {
                let byte = raw[index]
                guard byte == 0x09 || (byte >= 0x20 && byte != 0x7F) || byte >= 0x80 else {
                    throw Error("malformed header value")
                }
                index += 1
            }
            guard raw[index + 1] == 0x0A else { throw Error("bare CR in a header") }
            var valueEnd = index
            while valueEnd > valueStart, raw[valueEnd - 1] == 0x20 || raw[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            index += 2
            // obsolete line folding is refused (RFC 9112 §5.2 allows a proxy to)
            if raw[index] == 0x20 || raw[index] == 0x09 { throw Error("folded header line") }
            let name = UnsafeRawBufferPointer(rebasing: raw[nameStart..<nameEnd])
            let value = UnsafeRawBufferPointer(rebasing: raw[valueStart..<valueEnd])
            switch name.count {
            case 14 where Self.equalsLowercased(name, "content-length"):
                let parsed = try Self.contentLength(value)
                if let known = facts.contentLength, known != parsed { throw Error("conflicting content-length") }
                facts.contentLength = parsed
            case 17 where Self.equalsLowercased(name, "transfer-encoding"):
                facts.transferEncoding = true
                facts.chunked = Self.lastToken(value).map { Self.equalsLowercased($0, "chunked") } ?? false
            case 10 where Self.equalsLowercased(name, "connection"):
                facts.hopByHop = true
                Self.forEachToken(value) { token in
                    if Self.equalsLowercased(token, "close") { facts.connectionClose = true }
                    if Self.equalsLowercased(token, "keep-alive") { facts.connectionKeepAlive = true }
                }
            case 10 where Self.equalsLowercased(name, "keep-alive"),
                16 where Self.equalsLowercased(name, "proxy-connection"):
                facts.hopByHop = true
            default:
                break
            }
        }
        return facts
    }

    // MARK: chunked body

    private mutating func nextChunked(_ input: inout ByteBuffer) throws(Error) -> Event? {
        guard input.readableBytes > 0 else { return nil }
        let start = input.readerIndex
        var index = start
        let end = input.writerIndex
        var state = self.state
        defer { self.state = state }
        while index < end {
            switch state {
            case .chunkSize(var value, var digits, var inExtension, let sawCR):
                let byte = input.getInteger(at: index, as: UInt8.self)!
                index += 1
                if sawCR {
                    guard byte == 0x0A, digits > 0 else { throw Error("malformed chunk size line") }
                    state = value == 0 ? .trailers(lineLength: 0, sawCR: false) : .chunkData(remaining: value)
                    continue
                }
                if byte == 0x0D {
                    state = .chunkSize(value: value, digits: digits, inExtension: inExtension, sawCR: true)
                    continue
                }
                if inExtension {
                    guard byte == 0x09 || (byte >= 0x20 && byte != 0x7F) else {
                        throw Error("malformed chunk extension")
                    }
                } else if let digit = Self.hexValue(byte) {
                    guard digits < 15 else { throw Error("chunk size too large") }
                    value = value * 16 + digit
                    digits += 1
                } else if byte == 0x3B || byte == 0x20 || byte == 0x09 {
                    guard digits > 0 else { throw Error("malformed chunk size") }
                    inExtension = true
                } else {
                    throw Error("malformed chunk size")
                }
                state = .chunkSize(value: value, digits: digits, inExtension: inExtension, sawCR: false)
            case .chunkData(let remaining):
                let count = min(remaining, end - index)
                if dechunk {
                    // the framing bytes before the data are dropped; the data is returned on its own
                    input.moveReaderIndex(to: index)
                    let data = input.readSlice(length: count)!
                    state = count == remaining ? .chunkDataEnd(sawCR: false) : .chunkData(remaining: remaining - count)
                    return .body(data)
                }
                index += count
                state = count == remaining ? .chunkDataEnd(sawCR: false) : .chunkData(remaining: remaining - count)
            case .chunkDataEnd(let sawCR):
                let byte = input.getInteger(at: index, as: UInt8.self)!
                index += 1
                if !sawCR {
                    guard byte == 0x0D else { throw Error("chunk data not followed by CRLF") }
                    state = .chunkDataEnd(sawCR: true)
                } else {
                    guard byte == 0x0A else { throw Error("chunk data not followed by CRLF") }
                    state = .chunkSize(value: 0, digits: 0, inExtension: false, sawCR: false)
                }
            case .trailers(let lineLength, let sawCR):
                let byte = input.getInteger(at: index, as: UInt8.self)!
                index += 1
                if sawCR {
                    guard byte == 0x0A else { throw Error("malformed trailer") }
                    if lineLength == 0 {
                        if dechunk {
                            input.moveReaderIndex(to: index)
                            state = .done
                            return .end
                        }
                        state = .ending
                        return forwardChunked(&input, from: start, to: index)
                    }
                    state = .trailers(lineLength: 0, sawCR: false)
                } else if byte == 0x0D {
                    state = .trailers(lineLength: lineLength, sawCR: true)
                } else {
                    guard byte != 0x0A, byte != 0x00 else { throw Error("malformed trailer") }
                    guard lineLength < HTTPHeadCollector.maxHeadBytes else { throw Error("trailer line too long") }
                    state = .trailers(lineLength: lineLength + 1, sawCR: false)
                }
            default:
                preconditionFailure("not in a chunked body")
            }
        }
        return forwardChunked(&input, from: start, to: index)
    }

    /// Consumes `start..<end` of `input`: the raw chunked bytes, or nothing to forward when de-chunking.
    private func forwardChunked(_ input: inout ByteBuffer, from start: Int, to end: Int) -> Event? {
        if dechunk || end == start {
            input.moveReaderIndex(to: end)
            return nil
        }
        return .body(input.readSlice(length: end - start)!)
    }

    // MARK: bytes

    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }

    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }

    /// ASCII case-insensitive comparison with a lower-case literal.
    static func equalsLowercased(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for index in 0..<bytes.count where lowercased(bytes[index]) != expected[index] { return false }
        return true
    }

    /// ASCII case-insensitive comparison with a string (a header name).
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ other: String) -> Bool {
        guard bytes.count == other.utf8.count else { return false }
        return zip(bytes, other.utf8).allSatisfy { lowercased($0) == lowercased($1) }
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// A Content-Length value: digits, or a comma list of equal digits (RFC 9110 §8.6).
    static func contentLength(_ value: UnsafeRawBufferPointer) throws(Error) -> Int {
        var result: Int?
        var current = 0
        var digits = 0
        for index in 0...value.count {
            let byte = index < value.count ? value[index] : 0x2C
            if byte >= 0x30, byte <= 0x39 {
                guard digits < 18 else { throw Error("content-length too large") }
                current = current * 10 + Int(byte - 0x30)
                digits += 1
            } else if byte == 0x2C {
                guard digits > 0, result == nil || result == current else { throw Error("malformed content-length") }
                result = current
                (current, digits) = (0, 0)
            } else if byte != 0x20 && byte != 0x09
                || digits > 0 && index + 1 < value.count
                    && value[index + 1] >= 0x30 && value[index + 1] <= 0x39
            {
                throw Error("malformed content-length")
            }
        }
        guard let result else { throw Error("malformed content-length") }
        return result
    }

    /// Calls `body` with each comma-separated token of a header value, trimmed.
    static func forEachToken(_ value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        for index in 0...value.count where index == value.count || value[index] == 0x2C {
            var (from, to) = (start, index)
            while from < to, value[from] == 0x20 || value[from] == 0x09 { from += 1 }
            while to > from, value[to - 1] == 0x20 || value[to - 1] == 0x09 { to -= 1 }
            if to > from { body(UnsafeRawBufferPointer(rebasing: value[from..<to])) }
            start = index + 1
        }
    }

    private static func lastToken(_ value: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        var last: UnsafeRawBufferPointer?
        forEachToken(value) { last = $0 }
        return last
    }
}
