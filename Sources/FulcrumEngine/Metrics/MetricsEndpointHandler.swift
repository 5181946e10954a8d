import NIOCore
import NIOHTTP1

/// A PROMETHEUS listener's connection: `GET /metrics` (or `HEAD`) answers the amphora's metrics as Prometheus
/// text; any other path is 404 and any other method 405. Requests are counted on the listener like HTTP ones.
final class MetricsEndpointHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let path = "/metrics"

    private let counters: TrafficCounters
    private let render: @Sendable () -> String
    private var head: HTTPRequestHead?

    init(counters: TrafficCounters, render: @escaping @Sendable () -> String) {
        self.counters = counters
        self.render = render
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            counters.request()
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let status: HTTPResponseStatus
        let body: String
        let type: String
        if path != Self.path {
            (status, body, type) = (.notFound, "not found: metrics are at \(Self.path)\n", "text/plain")
        } else if head.method != .GET && head.method != .HEAD {
            (status, body, type) = (.methodNotAllowed, "only GET and HEAD\n", "text/plain")
        } else {
            (status, body, type) = (.ok, render(), ExpositionWriter.contentType)
        }
        if status != .ok { counters.requestError() }
        let keepAlive = head.isKeepAlive
        var headers = HTTPHeaders([("content-type", type), ("content-length", "\(body.utf8.count)")])
        if !keepAlive { headers.add(name: "connection", value: "close") }
        if status == .methodNotAllowed { headers.add(name: "allow", value: "GET, HEAD") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
        if head.method != .HEAD {
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }
}
