import FulcrumWire
import NIOCore
import NIOHTTP1
import NIOPosix

/// Runs a pool's health monitor: every `delay`, one probe per admin-up member, results fed to the pool's
/// rise/fall state. TCP connects; HTTP sends `http_method url_path` and matches `expected_codes`.
/// HTTPS, TLS-HELLO and PING are probed as TCP connects (no TLS or ICMP here yet).
final class HealthChecker: Sendable {
    private let task: RepeatedTask

    init(pool: PoolRuntime, monitor: HealthMonitorConfig, eventLoop: any EventLoop, unit: TimeAmount) {
        let delay = unit * Int64(max(monitor.delay, 1))
        let timeout = unit * Int64(max(monitor.timeout, 1))
        task = eventLoop.scheduleRepeatedAsyncTask(initialDelay: .zero, delay: delay) { _ in
            let loop = eventLoop
            let probes = pool.checkTargets.map { target in
                Self.probe(target.address, target.port, monitor: monitor, timeout: timeout, on: loop)
                    .map { success in pool.recordCheck(memberId: target.id, success: success) }
            }
            return EventLoopFuture.andAllComplete(probes, on: loop)
        }
    }

    func cancel() { task.cancel() }

    static func probe(
        _ address: String, _ port: Int, monitor: HealthMonitorConfig, timeout: TimeAmount, on loop: any EventLoop
    ) -> EventLoopFuture<Bool> {
        let connect = ClientBootstrap(group: loop).connectTimeout(timeout).connect(host: address, port: port)
        guard monitor.type == .http else {
            return connect.map { channel in
                channel.close(promise: nil)
                return true
            }.recover { _ in false }
        }
        let promise = loop.makePromise(of: Int.self)
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
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(StatusProbeHandler(promise: promise))
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
        return promise.futureResult.map { monitor.expects($0) }.recover { _ in false }
    }
}

/// Completes with the status code of the first response head; fails if the connection closes first.
final class StatusProbeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<Int>
    private var done = false

    init(promise: EventLoopPromise<Int>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !done, case .head(let head) = unwrapInboundIn(data) {
            done = true
            promise.succeed(Int(head.status.code))
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
