import NIOCore
import NIOPosix

/// PING health check over ICMP or ICMPv6: one echo request to the member, healthy when the reply comes within the
/// monitor's timeout (what `ping -c 1 -W timeout` in Octavia's external check tells HAProxy). The caller falls
/// back to a TCP connect for an address that is not an IP literal, or an IPv6 one when no ICMPv6 socket of the
/// process's method may be opened.
enum ICMPProbe {
    /// Whether `address` can be pinged here with the `raw` or datagram method.
    static func supports(_ address: String, raw: Bool) -> Bool {
        switch (try? SocketAddress(ipAddress: address, port: 0))?.protocol {
        case .inet: true
        case .inet6: ICMPSocket.ipv6Available(raw: raw)
        default: false
        }
    }

    static func probe(
        _ address: String, raw: Bool, timeout: TimeAmount, on loop: any EventLoop
    ) -> EventLoopFuture<Bool> {
        guard let target = try? SocketAddress(ipAddress: address, port: 0),
            let fd = ICMPSocket.open(raw: raw, ipv6: target.protocol == .inet6)
        else {
            return loop.makeSucceededFuture(false)
        }
        var random = SystemRandomNumberGenerator()
        let echo = ICMPEcho(
            identifier: .random(in: 0...UInt16.max, using: &random),
            sequence: .random(in: 0...UInt16.max, using: &random),
            payload: (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }, ipv6: target.protocol == .inet6)
        let promise = loop.makePromise(of: Bool.self)
        DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        EchoReplyHandler(echo: echo, raw: raw, from: address, promise: promise))
                }
            }
            .withBoundSocket(fd)
            .whenComplete { result in
                guard case .success(let channel) = result else { return promise.succeed(false) }
                let deadline = loop.scheduleTask(in: timeout) { promise.succeed(false) }
                promise.futureResult.whenComplete { _ in
                    deadline.cancel()
                    channel.close(promise: nil)
                }
                let request = AddressedEnvelope(remoteAddress: target, data: ByteBuffer(bytes: echo.request))
                channel.writeAndFlush(request).whenFailure { _ in promise.succeed(false) }
            }
        return promise.futureResult
    }
}

/// Completes true on the echo reply from the member; ignores every other ICMP packet the socket sees.
final class EchoReplyHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let echo: ICMPEcho
    private let raw: Bool
    private let address: String
    private let promise: EventLoopPromise<Bool>

    init(echo: ICMPEcho, raw: Bool, from address: String, promise: EventLoopPromise<Bool>) {
        self.echo = echo
        self.raw = raw
        self.address = address
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.remoteAddress.ipAddress == address else { return }
        if echo.isReply(Array(envelope.data.readableBytesView), raw: raw) { promise.succeed(true) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.succeed(false)
    }
}
