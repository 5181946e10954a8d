import FulcrumWire
import NIOCore
import NIOHTTP1
import NIOSSL

/// Sets the `X-SSL-*` headers the listener's `insert_headers` asks for on every request of a TERMINATED_HTTPS
/// connection, replacing any the client sent (HAProxy's `http-request set-header`). Added only to connections
/// accepted while the listener asks for one of them; which ones is read per request, like the other insert
/// headers. The certificate is read once per connection, at the first request (after the handshake).
final class ClientCertificateHeaderHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let listener: ListenerRuntime
    private var headers: ClientCertificateHeaders?

    init(listener: ListenerRuntime) {
        self.listener = listener
    }

    /// Whether a listener with these insert headers needs the handler.
    static func wanted(by config: ListenerConfig) -> Bool {
        ClientCertificateHeaders.names.contains { config.inserts($0) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        let config = listener.settings.config
        if headers == nil {
            let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
            headers = ClientCertificateHeaders(peer: tls?.peerCertificate)
        }
        for (name, value) in headers?.values ?? [] where config.inserts(name) {
            head.headers.replaceOrAdd(name: name, value: value)
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
