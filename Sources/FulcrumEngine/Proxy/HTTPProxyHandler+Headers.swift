import FulcrumWire
import NIOCore
import NIOHTTP1

extension HTTPProxyHandler {
    /// The cookie a pool's persistence follows: `SRV` for HTTP_COOKIE, `cookie_name` for APP_COOKIE.
    static func persistenceCookieName(_ pool: PoolRuntime) -> String? {
        switch pool.persistenceKind {
        case .httpCookie: PoolRuntime.persistenceCookie
        case .appCookie: pool.persistence?.cookieName
        default: nil
        }
    }

    /// The value of cookie `name` in a request, if any.
    static func cookie(_ name: String?, _ head: HTTPRequestHead) -> String? {
        guard let name else { return nil }
        for header in head.headers["cookie"] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.trimmingPrefix(" ")
                if trimmed.hasPrefix(name + "=") { return String(trimmed.dropFirst(name.count + 1)) }
            }
        }
        return nil
    }

    /// The request head sent to the member, encoded: HTTP/1.1, without hop-by-hop headers, with the
    /// `insert_headers` the listener asks for (`X-Forwarded-For` added, the others replaced). (The `X-SSL-*`
    /// headers of a TERMINATED_HTTPS listener are set before this handler, by `ClientCertificateHeaderHandler`.)
    /// Nil when the head holds a target or header that must not be sent (what NIO's encoder validated).
    func encodedHead(
        _ head: HTTPRequestHead, settings: ListenerSettings, allocator: ByteBufferAllocator
    )
        -> ByteBuffer?
    {
        guard Self.isSendableTarget(head.uri) else { return nil }
        var out = allocator.buffer(capacity: 128 + head.uri.utf8.count + head.headers.count * 48)
        out.writeString(head.method.rawValue)
        out.writeStaticString(" ")
        out.writeString(head.uri)
        out.writeStaticString(" HTTP/1.1\r\n")
        let inserted = settings.inserted
        for (name, value) in head.headers {
            if Self.isHopByHop(name) || (!inserted.isEmpty && inserted.replaces(name)) { continue }
            guard Self.isSendableHeader(name: name, value: value) else { return nil }
            Self.writeHeader(name, value, into: &out)
        }
        if !inserted.isEmpty {
            if inserted.forwardedFor { Self.writeHeader("X-Forwarded-For", clientKey.address, into: &out) }
            if inserted.forwardedPort { Self.writeHeader("X-Forwarded-Port", "\(localPort)", into: &out) }
            if inserted.forwardedProto {
                let proto = settings.config.protocol == .http ? "http" : "https"
                Self.writeHeader("X-Forwarded-Proto", proto, into: &out)
            }
            for name in inserted.addressHeaders { Self.writeHeader(name, clientKey.address, into: &out) }
        }
        out.writeStaticString("\r\n")
        return out
    }

    private static func writeHeader(_ name: String, _ value: String, into out: inout ByteBuffer) {
        out.writeString(name)
        out.writeStaticString(": ")
        out.writeString(value)
        out.writeStaticString("\r\n")
    }

    /// `connection`, `keep-alive`, `proxy-connection`, in any case, without allocating.
    static func isHopByHop(_ name: String) -> Bool {
        let count = name.utf8.count
        guard count == 10 || count == 16 else { return false }
        var name = name
        return name.withUTF8 { raw in
            let bytes = UnsafeRawBufferPointer(raw)
            return HTTPResponseFramer.equalsLowercased(bytes, "connection")
                || HTTPResponseFramer.equalsLowercased(bytes, "keep-alive")
                || HTTPResponseFramer.equalsLowercased(bytes, "proxy-connection")
        }
    }

    /// A request target without bytes that would break the request line (space, CR, LF, NUL, controls).
    static func isSendableTarget(_ target: String) -> Bool {
        !target.isEmpty && target.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }

    /// A token name and a value without CR, LF or NUL (RFC 9110 §5.5; NIO's header validation).
    static func isSendableHeader(name: String, value: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(HTTPResponseFramer.isTokenByte)
            && value.utf8.allSatisfy { $0 != 0x0D && $0 != 0x0A && $0 != 0x00 }
    }

    static let hopByHopRequestHeaders = ["connection", "keep-alive", "proxy-connection"]

    /// A response of the proxy's own, encoded (the client channel carries bytes, not NIOHTTP1 parts).
    static func encodedResponse(
        _ status: HTTPResponseStatus, headers: [(String, String)], body: String, allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        var out = allocator.buffer(capacity: 128 + body.utf8.count)
        out.writeString("HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n")
        for (name, value) in headers {
            out.writeString(name)
            out.writeStaticString(": ")
            out.writeString(value)
            out.writeStaticString("\r\n")
        }
        out.writeStaticString("\r\n")
        out.writeString(body)
        return out
    }
}

extension String {
    /// Equal but for the case of ASCII letters (header names), without allocating.
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        utf8.count == other.utf8.count
            && zip(utf8, other.utf8).allSatisfy {
                HTTPResponseFramer.lowercased($0) == HTTPResponseFramer.lowercased($1)
            }
    }
}
