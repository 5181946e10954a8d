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

    /// The request head sent to the member, with the `insert_headers` the listener asks for. (The `X-SSL-*`
    /// headers of a TERMINATED_HTTPS listener are set before this handler, by `ClientCertificateHeaderHandler`.)
    func forwardHead(_ head: HTTPRequestHead, settings: ListenerSettings) -> HTTPRequestHead {
        var out = head
        if out.version != .http1_1 { out.version = .http1_1 }
        // `remove` copies the header array even when nothing matches: look first
        for name in Self.hopByHopRequestHeaders where out.headers.contains(name: name) {
            out.headers.remove(name: name)
        }
        let inserted = settings.inserted
        guard !inserted.isEmpty else { return out }
        if inserted.forwardedFor { out.headers.add(name: "X-Forwarded-For", value: clientKey.address) }
        if inserted.forwardedPort { out.headers.replaceOrAdd(name: "X-Forwarded-Port", value: "\(localPort)") }
        if inserted.forwardedProto {
            out.headers.replaceOrAdd(
                name: "X-Forwarded-Proto", value: settings.config.protocol == .http ? "http" : "https")
        }
        for name in inserted.addressHeaders { out.headers.replaceOrAdd(name: name, value: clientKey.address) }
        return out
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
