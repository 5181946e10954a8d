import NIOCore

/// Fires `IdleStateHandler.IdleStateEvent.all` when a channel has neither read nor flushed anything for
/// `timeout`: the contract of NIO's `IdleStateHandler(allTimeout:)`, which the proxy handlers listen for,
/// without its promise and callback allocated per write (a hot-path cost at tens of thousands of writes per
/// second). Activity is stamped once per read burst and once per flush, not per message.
final class IdleTimeoutHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private var clock: IdleClock
    private var check: Scheduled<Void>?

    init(timeout: TimeAmount) {
        clock = IdleClock(timeout: timeout)
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
        clock.read()
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        clock.readCompleted()
        context.fireChannelReadComplete()
    }

    func flush(context: ChannelHandlerContext) {
        clock.flushed()
        context.flush()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard check == nil else { return }
        schedule(context, at: clock.started())
    }

    private func stop() {
        check?.cancel()
        check = nil
    }

    private func schedule(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        check = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            guard context.channel.isActive else { return }
            let (idle, next) = clock.check()
            schedule(context, at: next)
            if idle { context.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all) }
        }
    }
}

/// The bookkeeping of an idle timeout, for a handler that schedules its own checks (``IdleTimeoutHandler``, and
/// ``UpstreamHandler``, which keeps the member timeout itself to save a pipeline hop per message).
struct IdleClock {
    let timeout: TimeAmount
    private var lastActivity = NIODeadline.uptimeNanoseconds(0)
    private var reading = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// The channel became active: returns the first check's deadline.
    mutating func started() -> NIODeadline {
        lastActivity = .now()
        return lastActivity + timeout
    }

    mutating func read() { reading = true }

    mutating func readCompleted() {
        if reading {
            reading = false
            lastActivity = .now()
        }
    }

    mutating func flushed() { lastActivity = .now() }

    /// At a scheduled check: whether the channel has been idle for `timeout`, and when to check next (a burst
    /// of reads under way counts as activity).
    func check(now: NIODeadline = .now()) -> (idle: Bool, next: NIODeadline) {
        let due = lastActivity + timeout
        if reading || due > now { return (false, reading ? now + timeout : due) }
        return (true, now + timeout)
    }
}
