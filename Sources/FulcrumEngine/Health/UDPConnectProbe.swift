import NIOCore
import NIOPosix

/// UDP-CONNECT health check, as Octavia's `udp-check.sh` (`nc -uz`) does it for keepalived: a datagram to the
/// member from a connected UDP socket. The kernel reports an ICMP port (or host) unreachable as an error on that
/// socket (`ECONNREFUSED`): DOWN. Silence until the timeout, or any answer, is UP — UDP cannot tell more.
enum UDPConnectProbe {
    static func probe(
        _ address: String, _ port: Int, timeout: TimeAmount, on loop: any EventLoop
    ) -> EventLoopFuture<Bool> {
        let promise = loop.makePromise(of: Bool.self)
        DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UDPConnectProbeHandler(promise: promise))
                }
            }
            .connect(host: address, port: port)
            .whenComplete { result in
                guard case .success(let channel) = result else { return promise.succeed(false) }
                let deadline = loop.scheduleTask(in: timeout) { promise.succeed(true) }
                promise.futureResult.whenComplete { _ in
                    deadline.cancel()
                    channel.close(promise: nil)
                }
                channel.writeAndFlush(ByteBuffer(string: "X")).whenFailure { _ in promise.succeed(false) }
            }
        return promise.futureResult
    }
}

/// Completes false on a socket error (the ICMP unreachable), true on any datagram back.
final class UDPConnectProbeHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let promise: EventLoopPromise<Bool>

    init(promise: EventLoopPromise<Bool>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        promise.succeed(true)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.succeed(false)
    }
}
