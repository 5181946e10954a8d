import FulcrumWire
import NIOCore
import NIOHTTP1
import NIOSSL

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
    static func cookie(_ name: String?, _ head: HTTPRequestFramer.Head) -> String? {
        guard let name else { return nil }
        for header in head.values(of: "cookie") {
            for pair in header.split(separator: ";") {
                let trimmed = pair.trimmingPrefix(" ")
                if trimmed.hasPrefix(name + "=") { return String(trimmed.dropFirst(name.count + 1)) }
            }
        }
        return nil
    }

    /// The request head sent to the member: the client's bytes as they are when nothing needs rewriting (an
    /// HTTP/1.1 request without hop-by-hop headers on a listener inserting none); otherwise HTTP/1.1, without
    /// hop-by-hop headers, with the `insert_headers` the listener asks for (`X-Forwarded-For` added, the others
    /// replacing the client's, `X-SSL-*` on a TERMINATED_HTTPS listener).
    func memberHead(
        _ head: HTTPRequestFramer.Head, settings: ListenerSettings, allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        let inserted = settings.inserted
        let certificate = settings.insertsCertificateHeaders ? connectionCertificateHeaders(settings.config) : []
        if head.minorVersion == 1, !head.hasHopByHop, inserted.isEmpty, certificate.isEmpty { return head.bytes }
        var out = allocator.buffer(capacity: head.bytes.readableBytes + 160)
        _ = head.withRequestLine { out.writeBytes($0) }
        out.writeStaticString("HTTP/1.1\r\n")
        head.forEachHeader { name, _, line in
            if Self.isHopByHop(name) || inserted.replaces(name) { return }
            if certificate.contains(where: { HTTPResponseFramer.equalsIgnoringCase(name, $0.name) }) { return }
            out.writeBytes(line)
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
        for (name, value) in certificate { Self.writeHeader(name, value, into: &out) }
        out.writeStaticString("\r\n")
        return out
    }

    /// The `X-SSL-*` headers the listener inserts, with this connection's values (its certificate is read once,
    /// after the handshake: a request has arrived).
    private func connectionCertificateHeaders(_ config: ListenerConfig) -> [(name: String, value: String)] {
        if certificateHeaders == nil {
            let tls = try? context?.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
            certificateHeaders = ClientCertificateHeaders(peer: tls?.peerCertificate)
        }
        return certificateHeaders?.values.filter { config.inserts($0.name) } ?? []
    }

    private static func writeHeader(_ name: String, _ value: String, into out: inout ByteBuffer) {
        out.writeString(name)
        out.writeStaticString(": ")
        out.writeString(value)
        out.writeStaticString("\r\n")
    }

    /// `connection`, `keep-alive`, `proxy-connection`, in any case.
    static func isHopByHop(_ name: UnsafeRawBufferPointer) -> Bool {
        HTTPResponseFramer.equalsLowercased(name, "connection")
            || HTTPResponseFramer.equalsLowercased(name, "keep-alive")
            || HTTPResponseFramer.equalsLowercased(name, "proxy-connection")
    }

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
