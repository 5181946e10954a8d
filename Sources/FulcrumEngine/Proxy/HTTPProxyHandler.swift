import FulcrumWire
import NIOCore
import NIOHTTP1

/// HTTP/1.1 reverse proxy for one client connection: one request at a time (`HTTPServerPipelineHandler`
/// serialises pipelined requests), a pooled keep-alive connection to the member per request, insert headers,
/// and 502/503/504 answers of its own.
final class HTTPProxyHandler: ChannelInboundHandler, UpstreamDelegate {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let connectAttempts = 3
    static let maxReplayBuffer = 64 * 1024

    private struct Request {
        var head: HTTPRequestHead
        var body: [ByteBuffer] = []
        var bodyBytes = 0
        var ended = false
        var keepAlive: Bool
        var tried: Set<String> = []
        /// The pool the request was routed to (default or L7).
        var pool: PoolRuntime?
    }

    private enum State {
        /// The connection failed (a parse error or I/O error); nothing more is written.
        case failed
        case idle
        /// Answered by the proxy itself; the rest of the request is dropped.
        case discarding(keepAlive: Bool)
        case connecting(Request, MemberLease)
        case forwarding(Request, MemberLease, UpstreamConnection, reused: Bool, responseStarted: Bool)
    }

    private let listener: ListenerRuntime
    private let upstreams: UpstreamPool
    private var state = State.idle
    private var context: ChannelHandlerContext?
    private(set) var clientKey = ClientKey(address: "", port: 0)
    private(set) var localPort = 0

    init(listener: ListenerRuntime, upstreams: UpstreamPool) {
        self.listener = listener
        self.upstreams = upstreams
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        clientKey = ClientKey(
            address: context.channel.remoteAddress?.ipAddress ?? "", port: context.channel.remoteAddress?.port ?? 0)
        localPort = context.channel.localAddress?.port ?? 0
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            start(head)
        case .body(let buffer):
            switch state {
            case .connecting(var request, let lease):
                request.body.append(buffer)
                request.bodyBytes += buffer.readableBytes
                state = .connecting(request, lease)
            case .forwarding(var request, let lease, let upstream, let reused, let started):
                if request.bodyBytes + buffer.readableBytes <= Self.maxReplayBuffer { request.body.append(buffer) }
                request.bodyBytes += buffer.readableBytes
                state = .forwarding(request, lease, upstream, reused: reused, responseStarted: started)
                upstream.channel.writeAndFlush(HTTPClientRequestPart.body(.byteBuffer(buffer)), promise: nil)
            default:
                break
            }
        case .end:
            switch state {
            case .discarding(let keepAlive):
                state = .idle
                if !keepAlive { context.close(promise: nil) }
            case .connecting(var request, let lease):
                request.ended = true
                state = .connecting(request, lease)
            case .forwarding(var request, let lease, let upstream, let reused, let started):
                request.ended = true
                state = .forwarding(request, lease, upstream, reused: reused, responseStarted: started)
                upstream.channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            case .idle, .failed:
                break
            }
        }
    }

    private func start(_ head: HTTPRequestHead) {
        if case .failed = state { return }
        listener.counters.request()
        let settings = listener.settings
        var request = Request(head: head, keepAlive: head.isKeepAlive)
        var pool = settings.pool
        if !settings.router.isEmpty {
            switch settings.router.route(uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }) {
            case .defaultPool:
                break
            case .pool(let id):
                pool = settings.pools[id]
            case .reject:
                answer(.forbidden, keepAlive: request.keepAlive, requestEnded: false)
                return
            case .redirect(let location, let status):
                answer(
                    HTTPResponseStatus(statusCode: status), keepAlive: request.keepAlive, requestEnded: false,
                    headers: [("location", location)])
                return
            }
        }
        guard let pool else {
            answer(.serviceUnavailable, keepAlive: request.keepAlive, requestEnded: false)
            return
        }
        request.pool = pool
        connect(request, pool: pool, settings: settings)
    }

    private func connect(_ request: Request, pool: PoolRuntime, settings: ListenerSettings) {
        var request = request
        guard request.tried.count < Self.connectAttempts,
            let lease = pool.lease(
                for: clientKey, excluding: request.tried,
                preferred: Self.cookie(Self.persistenceCookieName(pool), request.head))
        else {
            let status: HTTPResponseStatus = request.tried.isEmpty ? .serviceUnavailable : .badGateway
            answer(status, keepAlive: request.keepAlive, requestEnded: request.ended)
            return
        }
        request.tried.insert(lease.memberId)
        state = .connecting(request, lease)
        let counters = lease.counters
        upstreams.acquire(
            memberId: lease.memberId, host: lease.address, port: lease.port, connectTimeout: settings.connectTimeout,
            idleTimeout: settings.memberTimeout,
            onBytes: { sent, received in
                counters.addIn(sent)
                counters.addOut(received)
            }
        ) { [self] result in
            guard case .connecting(let request, let current) = state, current.memberId == lease.memberId else {
                // the client went away while connecting; channelInactive already ended the lease
                if case .success(let (upstream, _)) = result { upstreams.release(upstream) }
                return
            }
            switch result {
            case .failure:
                lease.counters.closed()
                lease.release()
                connect(request, pool: pool, settings: settings)
            case .success(let (upstream, reused)):
                forward(request, lease: lease, upstream: upstream, reused: reused, settings: settings)
            }
        }
    }

    private func forward(
        _ request: Request, lease: MemberLease, upstream: UpstreamConnection, reused: Bool, settings: ListenerSettings
    ) {
        upstream.uses += 1
        upstream.handler.delegate = self
        state = .forwarding(request, lease, upstream, reused: reused, responseStarted: false)
        let channel = upstream.channel
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenFailure { [weak self] _ in self?.forwardFailed(upstream) }
        channel.write(HTTPClientRequestPart.head(forwardHead(request.head, settings: settings)), promise: written)
        for buffer in request.body { channel.write(HTTPClientRequestPart.body(.byteBuffer(buffer)), promise: nil) }
        if request.ended { channel.write(HTTPClientRequestPart.end(nil), promise: nil) }
        channel.flush()
    }

    /// The request could not be encoded towards the member (e.g. a URI the encoder refuses): 400.
    private func forwardFailed(_ failed: UpstreamConnection) {
        guard case .forwarding(let request, let lease, let upstream, _, let started) = state, upstream === failed
        else { return }
        upstream.handler.delegate = nil
        upstream.channel.close(promise: nil)
        finishLease(lease)
        listener.counters.requestError()
        if started {
            state = .idle
            context?.close(promise: nil)
        } else {
            answer(.badRequest, keepAlive: false, requestEnded: request.ended)
        }
    }

    /// The member connection saw no traffic for `timeout_member_data` (haproxy `timeout server`).
    func upstreamIdle() {
        responseTimedOut()
    }

    private func responseTimedOut() {
        guard case .forwarding(let request, let lease, let upstream, _, let started) = state else { return }
        upstream.handler.delegate = nil
        upstream.channel.close(promise: nil)
        finishLease(lease)
        if started {
            state = .idle
            context?.close(promise: nil)
        } else {
            answer(.gatewayTimeout, keepAlive: false, requestEnded: request.ended)
        }
    }

    func upstreamRead(_ part: HTTPClientResponsePart) {
        guard let context, case .forwarding(let request, let lease, let upstream, let reused, _) = state else { return }
        switch part {
        case .head(let head):
            state = .forwarding(request, lease, upstream, reused: reused, responseStarted: true)
            var out = HTTPResponseHead(version: request.head.version, status: head.status, headers: head.headers)
            for name in ["connection", "keep-alive"] { out.headers.remove(name: name) }
            if !request.keepAlive { out.headers.add(name: "connection", value: "close") }
            if lease.pool.persistence?.type == .appCookie, let name = lease.pool.persistence?.cookieName {
                for setCookie in head.headers["set-cookie"] where setCookie.hasPrefix(name + "=") {
                    let value = setCookie.dropFirst(name.count + 1).prefix { $0 != ";" }
                    lease.pool.learnAppCookie(String(value), memberId: lease.memberId)
                }
            }
            if let cookie = lease.setCookie {
                out.headers.add(name: "set-cookie", value: "\(PoolRuntime.persistenceCookie)=\(cookie); path=/")
                out.headers.replaceOrAdd(name: "cache-control", value: "private")
            }
            context.write(wrapOutboundOut(.head(out)), promise: nil)
        case .body(let buffer):
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            if !context.channel.isWritable {
                // stop reading the member before flushing: the flush may drain the client synchronously and
                // fire channelWritabilityChanged, which must find autoRead already off to turn it back on
                try? upstream.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: false)
                context.flush()
                if context.channel.isWritable {
                    try? upstream.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
                }
            }
        case .end(let trailers):
            state = .idle
            let reusable = request.ended && upstream.channel.isActive
            if reusable {
                try? upstream.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
                upstreams.release(upstream)
            } else {
                upstream.handler.delegate = nil
                upstream.channel.close(promise: nil)
            }
            finishLease(lease)
            let keepAlive = request.keepAlive
            context.writeAndFlush(wrapOutboundOut(.end(trailers))).assumeIsolated().whenComplete { _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }

    func upstreamReadComplete() {
        context?.flush()
    }

    func upstreamClosed() {
        guard case .forwarding(var request, let lease, _, let reused, let started) = state else { return }
        finishLease(lease)
        if started {
            state = .idle
            context?.close(promise: nil)
            return
        }
        // a pooled connection the member had already closed: replay on a fresh one when the body is buffered
        if reused, request.bodyBytes <= Self.maxReplayBuffer, let pool = request.pool {
            request.tried.remove(lease.memberId)
            connect(request, pool: pool, settings: listener.settings)
        } else {
            answer(.badGateway, keepAlive: false, requestEnded: request.ended)
        }
    }

    private func finishLease(_ lease: MemberLease) {
        lease.counters.closed()
        lease.release()
    }

    private func answer(
        _ status: HTTPResponseStatus, keepAlive: Bool, requestEnded: Bool, headers extra: [(String, String)] = []
    ) {
        guard let context, context.channel.isActive else {
            state = .failed
            return
        }
        if status == .serviceUnavailable || status == .badGateway || status == .gatewayTimeout {
            listener.counters.requestError()
        }
        let text = "<html><body><h1>\(status.code) \(status.reasonPhrase)</h1></body></html>\n"
        var headers = HTTPHeaders([("content-type", "text/html"), ("content-length", "\(text.utf8.count)")])
        headers.add(name: "cache-control", value: "no-cache")
        headers.add(contentsOf: extra)
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
        if requestEnded {
            state = .idle
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                if !keepAlive { context.close(promise: nil) }
            }
        } else {
            state = .discarding(keepAlive: keepAlive)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, case .forwarding(_, _, let upstream, _, _) = state {
            try? upstream.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // HTTPServerProtocolErrorHandler has answered parse errors with 400 when it could; stop here
        abandon()
        context.close(promise: nil)
    }

    private func abandon() {
        switch state {
        case .connecting(_, let lease):
            finishLease(lease)
        case .forwarding(_, let lease, let upstream, _, _):
            upstream.handler.delegate = nil
            upstream.channel.close(promise: nil)
            finishLease(lease)
        default:
            break
        }
        state = .failed
    }

    func channelInactive(context: ChannelHandlerContext) {
        abandon()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            if case .forwarding = state { return }  // the member timeout governs an exchange in flight
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
