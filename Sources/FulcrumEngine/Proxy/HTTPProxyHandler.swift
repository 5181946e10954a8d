import FulcrumWire
import NIOCore
import NIOHTTP1
import NIOSSL

/// HTTP/1.1 reverse proxy for one client connection: one request at a time (pipelined requests wait unframed in
/// `input`, see `HTTPProxyHandler+Pipelining.swift`), a pooled keep-alive connection to the member per request,
/// insert headers, and 400/502/503/504 answers of its own. Both directions carry bytes: requests are framed by
/// ``HTTPRequestFramer`` and forwarded with only hop-by-hop and inserted headers rewritten; responses are framed
/// by ``HTTPResponseFramer`` with only the head rewritten
/// (``HTTPResponseFramer/Head/rewritten(_:allocator:extraCapacity:learn:)``).
final class HTTPProxyHandler: ChannelDuplexHandler, UpstreamDelegate {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Body bytes up to this size are copied behind the response head so both leave in one write.
    static let coalesceLimit = 4096

    static let connectAttempts = 3
    static let maxReplayBuffer = 64 * 1024

    /// The request in flight. A class: the state machine matches it several times per request, and a struct's
    /// fields were each retained and released at every match.
    private final class Request {
        let head: HTTPRequestFramer.Head
        /// Body bytes as received (chunk framing included), kept for a replay on a fresh member connection.
        var body: [ByteBuffer] = []
        var bodyBytes = 0
        var ended = false
        var keepAlive: Bool { head.keepAlive }
        /// Members tried for this request (at most ``HTTPProxyHandler/connectAttempts``).
        var tried: [String] = []
        /// The pool the request was routed to (default or L7).
        var pool: PoolRuntime?

        init(head: HTTPRequestFramer.Head) {
            self.head = head
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
    /// Client bytes not framed yet: the rest of a read, a pipelined request waiting for the response in flight.
    var input = HTTPProxyHandler.noBytes
    static let noBytes = ByteBufferAllocator().buffer(capacity: 0)
    /// Frames the requests in `input`.
    var framer = HTTPRequestFramer()
    /// Inside ``drive()``.
    var driving = false
    /// A `read()` held back while `input` is full.
    var readHeld = false
    /// The client shut its side of the connection (half-close).
    var clientInputClosed = false
    /// Requests whose head has arrived on this connection.
    private var requestsStarted = 0
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
    /// The `X-SSL-*` headers of this TERMINATED_HTTPS connection, read once, at its first request.
    var certificateHeaders: ClientCertificateHeaders?
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
            // the connect and member timeouts govern a request read in full and in flight; a client that stops
            // sending in the middle of its request is timed out here
            guard context.channel.isActive, !awaitsResponse else { return }
            clientTimedOut(context)
        }
    }

    /// `timeout_client_data` ran out: a client that sent part of a request, or none on a new connection, gets
    /// 408 (HAProxy's answer, without `option http-ignore-probes`); a keep-alive connection idle between
    /// requests, or one whose response has begun, closes silently.
    private func clientTimedOut(_ context: ChannelHandlerContext) {
        let answers408 =
            (framer.isPartial || requestsStarted == 0) && !isResponding && !isDiscarding && !hasFailed
        abandon()
        if answers408 {
            listener.counters.requestError()
            answer(.requestTimeout, keepAlive: false, requestEnded: true)
        } else {
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
        input = Self.noBytes
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        clientTimer?.read()
        inClientRead = true
        buffer(unwrapInboundIn(data))
        drive()
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

    /// In flight and read in full: only the member can move it on.
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

    /// Answered by the proxy while the rest of the request is still to be read and dropped.
    var isDiscarding: Bool {
        if case .discarding = state { return true }
        return false
    }

    var hasFailed: Bool {
        if case .failed = state { return true }
        return false
    }

    func handle(_ event: HTTPRequestFramer.Event) {
        switch event {
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
                upstream.channel.write(buffer, promise: nil)
                unflushed = upstream
            default:
                break
            }
        case .end:
            switch state {
            case .discarding(let keepAlive):
                state = .idle
                if !keepAlive || quiescing { context?.close(promise: nil) }
            case .connecting(let request, _):
                request.ended = true
            case .forwarding(let request, _, let upstream, _, _):
                request.ended = true
                if unflushed != nil {
                    unflushed = nil
                    upstream.channel.flush()
                }
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

    private func start(_ head: HTTPRequestFramer.Head) {
        if case .failed = state { return }
        requestsStarted += 1
        listener.counters.request()
        let settings = currentSettings
        let request = Request(head: head)
        var pool = settings.pool
        if !settings.router.isEmpty {
            let certificate = settings.router.usesClientCertificate ? tlsClientCertificate() : nil
            switch settings.router.route(
                uri: head.target, headers: head.headerPairs, certificate: certificate)
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
        let key = lease.upstreamKey
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
        upstream.framer.begin(bodyAllowed: !request.head.isHEAD, dechunk: request.head.minorVersion == 0)
        state = .forwarding(request, lease, upstream, reused: reused, responseStarted: false)
        let channel = upstream.channel
        channel.write(memberHead(request.head, settings: settings, allocator: channel.allocator), promise: nil)
        for buffer in request.body { channel.write(buffer, promise: nil) }
        if inClientRead && !request.ended {
            unflushed = upstream  // the request's end or channelReadComplete flushes
        } else {
            channel.flush()
        }
    }

    /// The member's response on `failed` broke its framing: 502 when nothing of a response reached the client
    /// yet; otherwise the client connection closes (it sees a truncated response, as with a member that closes
    /// mid-body).
    private func responseMalformed(_ failed: UpstreamConnection) {
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
            answer(.badGateway, keepAlive: false, requestEnded: request.ended)  // answer counts the 502
        }
    }

    /// The member connection saw no traffic for `timeout_member_data` (haproxy `timeout server`).
    func upstreamIdle() {
        if case .forwarding(let request, _, _, _, responseStarted: false) = state, !request.ended {
            // the member waits for the rest of a request the client stopped sending: the client's fault, not a
            // 504 (the client timeout closes such a connection too, whichever fires first)
            abandon()
            context?.close(promise: nil)
            return
        }
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
                    if request.head.minorVersion >= 1 { writeToClient(head, context) }
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
            responseMalformed(upstream)
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
        let clientMinor = request.head.minorVersion
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
            drive()
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
                drive()
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
        failed(parsing: false)
    }

    /// Stops the connection; a malformed request is answered with 400 first when no response is under way
    /// (what `HTTPServerProtocolErrorHandler` did). A request pipelined behind one in flight is framed only when
    /// that response has ended, so its 400 comes after it.
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
        input = Self.noBytes
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
        input = Self.noBytes
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            quiesce(context)
        } else if let event = event as? ChannelEvent, case .inputClosed = event {
            clientInputClosed = true
            drive()
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// The listener drains: an idle connection closes now, a busy one after the response in flight, which says
    /// `connection: close` when its head is still to be written (what `HTTPServerPipelineHandler` does);
    /// pipelined requests not started yet are dropped.
    private func quiesce(_ context: ChannelHandlerContext) {
        quiescing = true
        if framer.awaitsHead { input = Self.noBytes }
        switch state {
        case .idle, .discarding:
            context.close(promise: nil)
        case .connecting, .forwarding, .failed:
            break
        }
    }
}
