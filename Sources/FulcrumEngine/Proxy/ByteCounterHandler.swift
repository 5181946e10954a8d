import NIOCore

/// Counts raw bytes read and written on a channel (first handler of the pipeline).
final class ByteCounterHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private let onIn: (Int) -> Void
    private let onOut: (Int) -> Void

    init(onIn: @escaping (Int) -> Void, onOut: @escaping (Int) -> Void) {
        self.onIn = onIn
        self.onOut = onOut
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        onIn(unwrapInboundIn(data).readableBytes)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        onOut(unwrapOutboundIn(data).readableBytes)
        context.write(data, promise: promise)
    }
}

/// Counts raw bytes read (first handler of an HTTP pipeline without TLS, where the proxy handler counts what it
/// writes): inbound only, so writes and flushes do not pass through it.
final class InboundByteCounterHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let onIn: (Int) -> Void

    init(onIn: @escaping (Int) -> Void) {
        self.onIn = onIn
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        onIn(unwrapInboundIn(data).readableBytes)
        context.fireChannelRead(data)
    }
}

/// Counts HTTP parse errors (`ereq`) before `HTTPServerProtocolErrorHandler` answers them with 400.
final class RequestErrorCounter: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    private let onError: () -> Void

    init(onError: @escaping () -> Void) {
        self.onError = onError
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        onError()
        context.fireErrorCaught(error)
    }
}
