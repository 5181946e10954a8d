import FulcrumWire
import NIOCore
import NIOHTTP1
import NIOSSL

/// HTTP/1.1 reverse proxy for one client connection: one request at a time (pipelined requests wait in
/// `queued`, see `HTTPProxyHandler+Pipelining.swift`), a pooled keep-alive connection to the member per request,
/// insert headers, and 400/502/503/504 answers of its own. Requests are decoded (routing and headers need them);
/// responses are written to the client as the member's bytes, framed by ``HTTPResponseFramer``, with only the
/// head rewritten (``HTTPResponseFramer/Head/rewritten(_:allocator:extraCapacity:learn:)``).
final class HTTPProxyHandler: ChannelDuplexHandler, UpstreamDelegate {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Body bytes up to this size are copied behind the response head so both leave in one write.
    static let coalesceLimit = 4096

    static let connectAttempts = 3
    static let maxReplayBuffer = 64 * 1024

    /// The request in flight. A class: the state machine matches it several times per request, and a struct's
    /// fields were each retained and released at every match.
    private final class Request {
        let head: HTTPRequestHead
        var body: [ByteBuffer] = []
        var bodyBytes = 0
        var ended = false
        let keepAlive: Bool
        /// The body is chunked (the decoder removed the framing; it is added again towards the member).
        let chunked: Bool
        /// Members tried for this request (at most ``HTTPProxyHandler/connectAttempts``).
        var tried: [String] = []
        /// The pool the request was routed to (default or L7).
        var pool: PoolRuntime?

        init(head: HTTPRequestHead) {
            self.head = head
            keepAlive = head.isKeepAlive
            chunked = head.headers.contains(name: "transfer-encoding")
        }
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

    let listener: ListenerRuntime
    private let upstreams: UpstreamPool
    private var state = State.idle
    private(set) var context: ChannelHandlerContext?
    /// Parts of pipelined requests (and a parse error) that arrived while a request was in flight.
    var queued: [Queued] = []
    /// A `read()` held back while `queued` is full.
    var readHeld = false
    /// Inside a burst of client reads: writes to the member wait for `channelReadComplete` or a request end.
    var inClientRead = false
    /// The member connection with writes not yet flushed.
    private var unflushed: UpstreamConnection?
    /// Response bytes written to the client and not flushed yet.
    private var clientUnflushed = false
    /// The client connection closes once the response in flight has been written.
    private var closeAfterResponse = false
    /// The listener drains (`ChannelShouldQuiesceEvent`): the response in flight is the last one.
    private var quiescing = false
    private(set) var clientKey = ClientKey(address: "", port: 0)
    private(set) var localPort = 0
    /// The client certificate facts for SSL_* L7 rules, read once per connection when a rule needs them.
    private var clientCertificate: L7ClientCertificate??
    /// The listener settings last read, re-read only when their version moves (hitless apply).
    private var settings: ListenerSettings
    private var settingsVersion: UInt64

    /// `timeout_client_data` between requests (haproxy `timeout client`); an exchange in flight is governed by
    /// the member timeout.
    private let clientTimer: IdleTimer?
    /// Whether this handler counts the bytes it writes (no TLS handler below counts the raw bytes).
    private let countsOutbound: Bool

    init(
        listener: ListenerRuntime, upstreams: UpstreamPool, clientTimeout: TimeAmount? = nil,
        countsOutbound: Bool = false
    ) {
        self.listener = listener
        self.upstreams = upstreams
        self.clientTimer = clientTimeout.map { IdleTimer(timeout: $0) }
        self.countsOutbound = countsOutbound
        (self.settings, self.settingsVersion) = listener.versionedSettings
    }

    /// The settings in force (one atomic load unless an apply changed them).
    private var currentSettings: ListenerSettings {
        if let (settings, version) = listener.settings(ifChangedSince: settingsVersion) {
            self.settings = settings
            self.settingsVersion = version
        }
        return settings
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        clientKey = ClientKey(
            address: context.channel.remoteAddress?.ipAddress ?? "", port: context.channel.remoteAddress?.port ?? 0)
        localPort = context.channel.localAddress?.port ?? 0
        if context.channel.isActive { startClientTimer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startClientTimer(context)
        context.fireChannelActive()
    }

    private func startClientTimer(_ context: ChannelHandlerContext) {
        clientTimer?.start(on: context.eventLoop) { [self] in
            // the connect and member timeouts govern a request in flight
            guard context.channel.isActive, !isBusy else { return }
            context.close(promise: nil)
        }
    }

    // MARK: writes to the client (every one counted here when no TLS handler below counts, and stamped as
    // activity for the client timeout at its flush)

    private func clientWrite(_ bytes: ByteBuffer, _ context: ChannelHandlerContext) {
        if countsOutbound { listener.counters.addOut(bytes.readableBytes) }
        context.write(wrapOutboundOut(bytes), promise: nil)
    }

    private func clientFlush(_ context: ChannelHandlerContext) {
        clientTimer?.flushed()
        context.flush()
    }

    /// Writes and flushes the last bytes of a connection, then closes it.
    private func clientWriteAndClose(_ bytes: ByteBuffer, _ context: ChannelHandlerContext) {
        if countsOutbound { listener.counters.addOut(bytes.readableBytes) }
        clientTimer?.flushed()
        context.writeAndFlush(wrapOutboundOut(bytes)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// The context refers back to this handler: dropping it here breaks the cycle, which otherwise kept every
    /// closed connection's handler, context and pipeline alive.
    func handlerRemoved(context: ChannelHandlerContext) {
        clientTimer?.stop()
        abandon()
        queued.removeAll()
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        clientTimer?.read()
        inClientRead = true
        let part = unwrapInboundIn(data)
        if !queued.isEmpty || (isBusy && part.isHead) {
            enqueue(.part(part))
        } else {
            handle(part)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        clientTimer?.readCompleted()
        inClientRead = false
        flushUpstream()
        context.fireChannelReadComplete()
    }

    /// A request is in flight: its response has not ended yet.
    var isBusy: Bool {
        switch state {
        case .connecting, .forwarding: true
        case .idle, .discarding, .failed: false
        }
    }

    /// In flight and the whole request has been read: a new request now must wait (HTTP/1.1 pipelining).
    var awaitsResponse: Bool {
        switch state {
        case .connecting(let request, _), .forwarding(let request, _, _, _, _): request.ended
        case .idle, .discarding, .failed: false
        }
    }

    /// Whether a response has been started and not ended (a 400 can no longer be written).
    var isResponding: Bool {
        if case .forwarding(_, _, _, _, responseStarted: true) = state { return true }
        return false
    }

    var hasFailed: Bool {
        if case .failed = state { return true }
        return false
    }

    func handle(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head):
            start(head)
        case .body(let buffer):
            switch state {
            case .connecting(let request, _):
                request.body.append(buffer)
                request.bodyBytes += buffer.readableBytes
            case .forwarding(let request, _, let upstream, _, _):
                if request.bodyBytes + buffer.readableBytes <= Self.maxReplayBuffer { request.body.append(buffer) }
                request.bodyBytes += buffer.readableBytes
                writeBody(buffer, chunked: request.chunked, to: upstream.channel)
                unflushed = upstream
            default:
                break
            }
        case .end(let trailers):
            switch state {
            case .discarding(let keepAlive):
                state = .idle
                if keepAlive && !quiescing { drainQueued() } else { context?.close(promise: nil) }
            case .connecting(let request, _):
                request.ended = true
            case .forwarding(let request, _, let upstream, _, _):
                request.ended = true
                writeEnd(chunked: request.chunked, trailers: trailers, to: upstream.channel)
                unflushed = nil
                upstream.channel.flush()
            case .idle, .failed:
                break
            }
        }
    }

    /// The client certificate facts of a connection that terminated TLS here (nil otherwise), read once, after
    /// the handshake (a request has arrived).
    private func tlsClientCertificate() -> L7ClientCertificate? {
        if let known = clientCertificate { return known }
        let tls = try? context?.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
        let facts = tls.map { ClientCertificateHeaders.l7Facts(peer: $0.peerCertificate) }
        clientCertificate = .some(facts)
        return facts
    }

    /// Flushes writes to the member held back during a burst of client reads.
    func flushUpstream() {
        if let upstream = unflushed {
            unflushed = nil
            upstream.channel.flush()
        }
    }

    private func start(_ head: HTTPRequestHead) {
        if case .failed = state { return }
        listener.counters.request()
        let settings = currentSettings
        let request = Request(head: head)
        var pool = settings.pool
        if !settings.router.isEmpty {
            let certificate = settings.router.usesClientCertificate ? tlsClientCertificate() : nil
            switch settings.router.route(
                uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, certificate: certificate)
            {
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
        guard request.tried.count < Self.connectAttempts,
            let lease = pool.lease(
                for: clientKey, excluding: request.tried,
                preferred: Self.cookie(Self.persistenceCookieName(pool), request.head))
        else {
            let status: HTTPResponseStatus = request.tried.isEmpty ? .serviceUnavailable : .badGateway
            answer(status, keepAlive: request.keepAlive, requestEnded: request.ended)
            return
        }
        request.tried.append(lease.memberId)
        let key = UpstreamKey(memberId: lease.memberId, host: lease.address, port: lease.port)
        if let upstream = upstreams.takeIdle(key) {
            forward(request, lease: lease, upstream: upstream, reused: true, settings: settings)
            return
        }
        state = .connecting(request, lease)
        upstreams.connect(
            key, connectTimeout: settings.connectTimeout, idleTimeout: settings.memberTimeout,
            counters: lease.counters
        ) { [self] result in
            guard case .connecting(let request, let current) = state, current.memberId == lease.memberId else {
                // the client went away while connecting; channelInactive already ended the lease
                if case .success(let upstream) = result { upstreams.release(upstream) }
                return
            }
            switch result {
            case .failure:
                lease.counters.closed()
                lease.release()
                connect(request, pool: pool, settings: settings)
            case .success(let upstream):
                forward(request, lease: lease, upstream: upstream, reused: false, settings: settings)
            }
        }
    }

    private func forward(
        _ request: Request, lease: MemberLease, upstream: UpstreamConnection, reused: Bool, settings: ListenerSettings
    ) {
        upstream.uses += 1
        upstream.handler.delegate = self
        upstream.framer.begin(bodyAllowed: request.head.method != .HEAD, dechunk: request.head.version.minor == 0)
        state = .forwarding(request, lease, upstream, reused: reused, responseStarted: false)
        let channel = upstream.channel
        guard let head = encodedHead(request.head, settings: settings, allocator: channel.allocator) else {
            exchangeFailed(upstream, answering: .badRequest)
            return
        }
        channel.write(head, promise: nil)
        for buffer in request.body { writeBody(buffer, chunked: request.chunked, to: channel) }
        if request.ended { writeEnd(chunked: request.chunked, trailers: nil, to: channel) }
        if inClientRead && !request.ended {
            unflushed = upstream  // the request's end or channelReadComplete flushes
        } else {
            channel.flush()
        }
    }

    /// A piece of the request body: as is, or as one chunk of a chunked body.
    private func writeBody(_ buffer: ByteBuffer, chunked: Bool, to channel: any Channel) {
        guard chunked else {
            channel.write(buffer, promise: nil)
            return
        }
        guard buffer.readableBytes > 0 else { return }
        var chunk = channel.allocator.buffer(capacity: buffer.readableBytes + 20)
        chunk.writeString(String(buffer.readableBytes, radix: 16))
        chunk.writeStaticString("\r\n")
        chunk.writeImmutableBuffer(buffer)
        chunk.writeStaticString("\r\n")
        channel.write(chunk, promise: nil)
    }

    /// The end of a chunked request body: the last chunk and the client's trailers.
    private func writeEnd(chunked: Bool, trailers: HTTPHeaders?, to channel: any Channel) {
        guard chunked else { return }
        var end = channel.allocator.buffer(capacity: 64)
        end.writeStaticString("0\r\n")
        for (name, value) in trailers ?? [:] where Self.isSendableHeader(name: name, value: value) {
            end.writeString("\(name): \(value)\r\n")
        }
        end.writeStaticString("\r\n")
        channel.write(end, promise: nil)
    }

    /// The exchange on `failed` cannot go on: the request could not be sent (a target or header that must not
    /// be: 400) or the member's response broke its framing (502). The status is answered when nothing of a
    /// response reached the client yet; otherwise the client connection closes (it sees a truncated response,
    /// as with a member that closes mid-body).
    private func exchangeFailed(_ failed: UpstreamConnection, answering status: HTTPResponseStatus) {
        guard case .forwarding(let request, let lease, let upstream, _, let started) = state, upstream === failed
        else { return }
        upstream.handler.delegate = nil
        upstream.channel.close(promise: nil)
        finishLease(lease)
        if started {
            listener.counters.requestError()
            state = .idle
            context?.close(promise: nil)
        } else {
            if status == .badRequest { listener.counters.requestError() }  // answer counts the 5xx
            answer(status, keepAlive: false, requestEnded: request.ended)
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

    func upstreamRead(_ bytes: ByteBuffer) {
        guard let context, case .forwarding(let request, let lease, let upstream, let reused, _) = state else { return }
        var input = bytes
        // the head, and the small body behind it, leave in one write
        var pending: ByteBuffer?
        do {
            while let event = try upstream.framer.next(&input) {
                switch event {
                case .informational(let head):
                    // 100 Continue and friends, for an HTTP/1.1 client only
                    if request.head.version.minor >= 1 { writeToClient(head, context) }
                case .head(let head):
                    state = .forwarding(request, lease, upstream, reused: reused, responseStarted: true)
                    pending = clientHead(head, request: request, lease: lease, allocator: context.channel.allocator)
                case .body(let slice):
                    if pending != nil, slice.readableBytes <= Self.coalesceLimit {
                        pending!.writeImmutableBuffer(slice)
                    } else {
                        if let head = pending.take() { writeToClient(head, context) }
                        writeToClient(slice, context)
                    }
                case .end:
                    let reusable = input.readableBytes == 0
                    responseEnded(request: request, lease: lease, upstream: upstream, reusable: reusable, last: pending)
                    return
                }
            }
        } catch {
            exchangeFailed(upstream, answering: .badGateway)
            return
        }
        if let head = pending { writeToClient(head, context) }
        if !context.channel.isWritable, clientUnflushed {
            clientUnflushed = false
            // stop reading the member before flushing: the flush may drain the client synchronously and fire
            // channelWritabilityChanged, which must find autoRead already off to turn it back on
            upstream.setAutoRead(false)
            clientFlush(context)
            if context.channel.isWritable { upstream.setAutoRead(true) }
        }
    }

    private func writeToClient(_ bytes: ByteBuffer, _ context: ChannelHandlerContext) {
        clientWrite(bytes, context)
        clientUnflushed = true
    }

    /// The client's head for a member's response head; also decides `closeAfterResponse` (the head says
    /// `connection: close` exactly when the client connection ends after this response).
    private func clientHead(
        _ head: HTTPResponseFramer.Head, request: Request, lease: MemberLease, allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        let clientMinor = request.head.version.minor == 0 ? 0 : 1
        // a body that ends when the member closes, or one an HTTP/1.0 client cannot find the end of, ends the
        // client connection too
        let delimitedByClose =
            head.framing == .untilClose || (clientMinor == 0 && head.framing == .chunked)
        closeAfterResponse = !request.keepAlive || quiescing || delimitedByClose
        let pool = lease.pool
        let rewrite = HTTPResponseFramer.Head.Rewrite(
            clientMinorVersion: clientMinor, closeClient: closeAfterResponse,
            dechunked: clientMinor == 0 && head.framing == .chunked,
            insertCookie: lease.setCookie.map { "\(PoolRuntime.persistenceCookie)=\($0)" },
            appCookieName: pool.persistenceKind == .appCookie ? pool.persistence?.cookieName : nil)
        return head.rewritten(rewrite, allocator: allocator, extraCapacity: Self.coalesceLimit) { value in
            pool.learnAppCookie(value, memberId: lease.memberId)
        }
    }

    /// The member's response ended (`last` still to be written): the member connection goes back to the pool
    /// when it may carry another request, and the next pipelined request starts.
    private func responseEnded(
        request: Request, lease: MemberLease, upstream: UpstreamConnection, reusable: Bool, last: ByteBuffer?
    ) {
        guard let context else { return }
        state = .idle
        clientUnflushed = false
        if reusable, request.ended, upstream.channel.isActive, upstream.framer.memberKeepsAlive {
            upstream.setAutoRead(true)
            upstreams.release(upstream)
        } else {
            upstream.handler.delegate = nil
            upstream.channel.close(promise: nil)
        }
        finishLease(lease)
        if !closeAfterResponse {
            if let last { clientWrite(last, context) }
            clientFlush(context)
            drainQueued()
        } else {
            clientWriteAndClose(last ?? context.channel.allocator.buffer(capacity: 0), context)
        }
    }

    func upstreamReadComplete() {
        if clientUnflushed, let context {
            clientUnflushed = false
            clientFlush(context)
        }
    }

    func upstreamClosed() {
        guard case .forwarding(let request, let lease, let upstream, let reused, let started) = state else { return }
        if upstream.framer.closed() {
            // a body delimited by the member's close has ended (closeAfterResponse is set for it)
            responseEnded(request: request, lease: lease, upstream: upstream, reusable: false, last: nil)
            return
        }
        finishLease(lease)
        if started {
            state = .idle
            context?.close(promise: nil)
            return
        }
        // a pooled connection the member had already closed: replay on a fresh one when the body is buffered
        if reused, !upstream.framer.hasStarted, request.bodyBytes <= Self.maxReplayBuffer, let pool = request.pool {
            request.tried.removeAll { $0 == lease.memberId }
            connect(request, pool: pool, settings: currentSettings)
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
        let keepAlive = keepAlive && !quiescing
        if status == .serviceUnavailable || status == .badGateway || status == .gatewayTimeout {
            listener.counters.requestError()
        }
        let text = "<html><body><h1>\(status.code) \(status.reasonPhrase)</h1></body></html>\n"
        var headers = [("content-type", "text/html"), ("content-length", "\(text.utf8.count)")]
        headers.append(("cache-control", "no-cache"))
        headers.append(contentsOf: extra)
        if !keepAlive { headers.append(("connection", "close")) }
        let response = Self.encodedResponse(status, headers: headers, body: text, allocator: context.channel.allocator)
        if requestEnded {
            state = .idle
            if keepAlive {
                clientWrite(response, context)
                clientFlush(context)
                drainQueued()
            } else {
                clientWriteAndClose(response, context)
            }
        } else {
            state = .discarding(keepAlive: keepAlive)
            clientWrite(response, context)
            clientFlush(context)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, case .forwarding(_, _, let upstream, _, _) = state {
            upstream.setAutoRead(true)
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        listener.counters.requestError()
        if error is HTTPParserError, awaitsResponse || !queued.isEmpty {
            enqueue(.parseError)  // answered in order, after the responses before it
        } else {
            failed(parsing: error is HTTPParserError)
        }
    }

    /// Stops the connection; a parse error is answered with 400 first when no response is under way
    /// (what `HTTPServerProtocolErrorHandler` does).
    func failed(parsing: Bool) {
        guard let context else { return }
        if parsing, !isResponding, !hasFailed, context.channel.isActive {
            let response = Self.encodedResponse(
                .badRequest, headers: [("connection", "close"), ("content-length", "0")], body: "",
                allocator: context.channel.allocator)
            clientWrite(response, context)
            clientFlush(context)
        }
        abandon()
        queued.removeAll()
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
        clientTimer?.stop()
        abandon()
        queued.removeAll()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            quiesce(context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// The listener drains: an idle connection closes now, a busy one after the response in flight, which says
    /// `connection: close` when its head is still to be written (what `HTTPServerPipelineHandler` does);
    /// pipelined requests not started yet are dropped.
    private func quiesce(_ context: ChannelHandlerContext) {
        quiescing = true
        queued.removeAll()
        switch state {
        case .idle, .discarding:
            context.close(promise: nil)
        case .connecting, .forwarding, .failed:
            break
        }
    }
}
