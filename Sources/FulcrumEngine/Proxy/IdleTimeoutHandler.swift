import NIOCore

/// Fires `IdleStateHandler.IdleStateEvent.all` when a channel has neither read nor flushed anything for
/// `timeout`: the contract of NIO's `IdleStateHandler(allTimeout:)`, which the proxy handlers listen for,
/// without its promise and callback allocated per write (a hot-path cost at tens of thousands of writes per
/// second). Activity is stamped once per read burst and once per flush, not per message.
final class IdleTimeoutHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private let timeout: TimeAmount
    private var lastActivity = NIODeadline.uptimeNanoseconds(0)
    private var reading = false
    private var check: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reading = true
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if reading {
            reading = false
            lastActivity = .now()
        }
        context.fireChannelReadComplete()
    }

    func flush(context: ChannelHandlerContext) {
        lastActivity = .now()
        context.flush()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard check == nil else { return }
        lastActivity = .now()
        schedule(context, at: lastActivity + timeout)
    }

    private func stop() {
        check?.cancel()
        check = nil
    }

    private func schedule(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        check = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            guard context.channel.isActive else { return }
            let due = lastActivity + timeout
            if reading || due > .now() {
                schedule(context, at: reading ? .now() + timeout : due)
            } else {
                schedule(context, at: .now() + timeout)
                context.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
            }
        }
    }
}
