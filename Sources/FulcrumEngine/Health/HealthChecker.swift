import FulcrumWire
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS

/// Runs a pool's health monitor: every `delay`, one probe per admin-up member, results fed to the pool's
/// rise/fall state. TCP connects; HTTP sends `http_method url_path` and matches `expected_codes`; HTTPS does the
/// same over TLS without certificate verification (haproxy `check-ssl verify none`); TLS-HELLO needs a completed
/// handshake; PING sends an ICMP echo (``ICMPProbe``) when the engine's ``PingMethod`` allows and the member is
/// IPv4, else connects over TCP; UDP-CONNECT sends a datagram and fails on an ICMP unreachable
/// (``UDPConnectProbe``). SCTP is probed as a TCP connect.
final class HealthChecker: Sendable {
    private let task: RepeatedTask

    init(
        pool: PoolRuntime, monitor: HealthMonitorConfig, eventLoop: any EventLoop, unit: TimeAmount,
        ping: PingMethod = .tcpConnect
    ) {
        let delay = unit * Int64(max(monitor.delay, 1))
        let timeout = unit * Int64(max(monitor.timeout, 1))
        task = eventLoop.scheduleRepeatedAsyncTask(initialDelay: .zero, delay: delay) { _ in
            let loop = eventLoop
            let probes = pool.checkTargets.map { target in
                Self.probe(target.address, target.port, monitor: monitor, timeout: timeout, ping: ping, on: loop)
                    .map { success in pool.recordCheck(memberId: target.id, success: success) }
            }
            return EventLoopFuture.andAllComplete(probes, on: loop)
        }
    }

    func cancel() { task.cancel() }

    static func probe(
        _ address: String, _ port: Int, monitor: HealthMonitorConfig, timeout: TimeAmount,
        ping: PingMethod = .tcpConnect, on loop: any EventLoop
    ) -> EventLoopFuture<Bool> {
        if monitor.type == .ping, ping != .tcpConnect, ICMPProbe.supports(address, raw: ping == .icmpRaw) {
            return ICMPProbe.probe(address, raw: ping == .icmpRaw, timeout: timeout, on: loop)
        }
        if monitor.type == .udpConnect {
            return UDPConnectProbe.probe(address, port, timeout: timeout, on: loop)
        }
        let connect = ClientBootstrap(group: loop).connectTimeout(timeout).connect(host: address, port: port)
        guard monitor.type == .http || monitor.type == .https || monitor.type == .tlsHello else {
            return connect.map { channel in
                channel.close(promise: nil)
                return true
            }.recover { _ in false }
        }
        let promise = loop.makePromise(of: Bool.self)
        connect.whenComplete { result in
            switch result {
            case .failure(let error):
                promise.fail(error)
            case .success(let channel):
                // the probe's deadline: closing the channel fails the promise through channelInactive
                let deadline = loop.scheduleTask(in: timeout) { channel.close(promise: nil) }
                promise.futureResult.whenComplete { _ in
                    deadline.cancel()
                    channel.close(promise: nil)
                }
                channel.eventLoop.execute {
                    do {
                        let sync = channel.pipeline.syncOperations
                        if monitor.type != .http {
                            guard let tls = Self.probeTLS else { throw ChannelError.inappropriateOperationForState }
                            try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: nil))
                        }
                        if monitor.type == .tlsHello {
                            try sync.addHandler(HandshakeProbeHandler(promise: promise))
                            return
                        }
                        try sync.addHTTPClientHandlers()
                        try sync.addHandler(StatusProbeHandler(promise: promise, expects: monitor.expects))
                        var head = HTTPRequestHead(
                            version: monitor.domainName == nil ? .http1_0 : .http1_1,
                            method: HTTPMethod(rawValue: monitor.httpMethod), uri: monitor.urlPath)
                        head.headers.add(name: "host", value: monitor.domainName ?? address)
                        head.headers.add(name: "connection", value: "close")
                        head.headers.add(name: "user-agent", value: "fulcrum-health-check")
                        channel.write(HTTPClientRequestPart.head(head), promise: nil)
                        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                    } catch {
                        promise.fail(error)  // a second completion is a no-op
                    }
                }
            }
        }
        return promise.futureResult.recover { _ in false }
    }

    /// Client TLS for HTTPS and TLS-HELLO probes: members' certificates are not verified.
    static let probeTLS: NIOSSLContext? = {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return try? NIOSSLContext(configuration: configuration)
    }()
}

/// Completes true once the TLS handshake finishes; fails if the connection closes first.
final class HandshakeProbeHandler: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    private let promise: EventLoopPromise<Bool>

    init(promise: EventLoopPromise<Bool>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event { promise.succeed(true) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.eof)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Completes with whether the first response head's status is expected; fails if the connection closes first.
final class StatusProbeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<Bool>
    private let expects: (Int) -> Bool
    private var done = false

    init(promise: EventLoopPromise<Bool>, expects: @escaping (Int) -> Bool) {
        self.promise = promise
        self.expects = expects
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !done, case .head(let head) = unwrapInboundIn(data) {
            done = true
            promise.succeed(expects(Int(head.status.code)))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done {
            done = true
            promise.fail(ChannelError.eof)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
