import NIOCore

extension HTTPResponseFramer.Head {
    /// What changes between the member's response head and the client's.
    struct Rewrite {
        /// The client's HTTP version: 1.1 or 1.0.
        var clientMinorVersion: Int
        /// The client connection closes after this response: say `connection: close`.
        var closeClient: Bool
        /// The body is de-chunked for an HTTP/1.0 client: drop `transfer-encoding`.
        var dechunked: Bool
        /// A persistence cookie value to set (`SRV=…`), with `cache-control: private`.
        var insertCookie: String?
        /// APP_COOKIE persistence: the cookie whose `set-cookie` value is reported to `learn`.
        var appCookieName: String?
    }

    /// The head written to the client: the member's status line and headers, with the client's version, without
    /// hop-by-hop headers (and without `content-length` beside `transfer-encoding`, RFC 9112 §6.1), plus what
    /// `rewrite` adds.
    func rewritten(
        _ rewrite: Rewrite, allocator: ByteBufferAllocator, extraCapacity: Int = 0, learn: (String) -> Void
    ) -> ByteBuffer {
        var out = allocator.buffer(capacity: bytes.readableBytes + 96 + extraCapacity)
        bytes.withUnsafeReadableBytes { raw in
            out.writeStaticString(rewrite.clientMinorVersion == 0 ? "HTTP/1.0" : "HTTP/1.1")
            var index = 8
            while raw[index] != 0x0A { index += 1 }
            index += 1
            out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[8..<index]))
            while raw[index] != 0x0D {
                let lineStart = index
                while raw[index] != 0x3A { index += 1 }
                let name = UnsafeRawBufferPointer(rebasing: raw[lineStart..<index])
                while raw[index] != 0x0A { index += 1 }
                index += 1
                if Self.dropped(name, rewrite: rewrite, framing: framing) { continue }
                if let cookie = rewrite.appCookieName,
                    HTTPResponseFramer.equalsLowercased(name, "set-cookie"),
                    let value = Self.cookieValue(
                        named: cookie, in: UnsafeRawBufferPointer(rebasing: raw[lineStart + name.count + 1..<index]))
                {
                    learn(value)
                }
                out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[lineStart..<index]))
            }
        }
        if let cookie = rewrite.insertCookie {
            out.writeStaticString("set-cookie: ")
            out.writeString(cookie)
            out.writeStaticString("; path=/\r\ncache-control: private\r\n")
        }
        if rewrite.closeClient {
            out.writeStaticString("connection: close\r\n")
        } else if rewrite.clientMinorVersion == 0 {
            out.writeStaticString("connection: keep-alive\r\n")
        }
        out.writeStaticString("\r\n")
        return out
    }

    private static func dropped(
        _ name: UnsafeRawBufferPointer, rewrite: Rewrite, framing: HTTPResponseFramer.Framing
    )
        -> Bool
    {
        switch name.count {
        case 10:
            return HTTPResponseFramer.equalsLowercased(name, "connection")
                || HTTPResponseFramer.equalsLowercased(name, "keep-alive")
        case 16: return HTTPResponseFramer.equalsLowercased(name, "proxy-connection")
        case 13: return rewrite.insertCookie != nil && HTTPResponseFramer.equalsLowercased(name, "cache-control")
        case 14: return framing == .chunked && HTTPResponseFramer.equalsLowercased(name, "content-length")
        case 17: return rewrite.dechunked && HTTPResponseFramer.equalsLowercased(name, "transfer-encoding")
        default: return false
        }
    }

    /// The value of `name=` at the start of a `set-cookie` header value (` name=value; attributes\r\n`).
    private static func cookieValue(named name: String, in value: UnsafeRawBufferPointer) -> String? {
        var start = 0
        while start < value.count, value[start] == 0x20 || value[start] == 0x09 { start += 1 }
        let prefix = Array((name + "=").utf8)
        guard value.count - start >= prefix.count,
            zip(value[start..<start + prefix.count], prefix).allSatisfy({ $0 == $1 })
        else { return nil }
        var end = start + prefix.count
        while end < value.count, value[end] != 0x3B, value[end] != 0x0D { end += 1 }
        return String(decoding: value[start + prefix.count..<end], as: UTF8.self)
    }
}
