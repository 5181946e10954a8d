import NIOCore

/// Fires `IdleStateHandler.IdleStateEvent.all` when a channel has neither read nor flushed anything for
/// `timeout`: the contract of NIO's `IdleStateHandler(allTimeout:)`, which the TCP proxy listens for, without its
/// promise and callback allocated per write (a hot-path cost at tens of thousands of writes per second). The HTTP
/// proxy and the member connections keep an ``IdleTimer`` themselves, which saves a pipeline hop per message.
final class IdleTimeoutHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private let timer: IdleTimer

    init(timeout: TimeAmount) {
        timer = IdleTimer(timeout: timeout)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer.stop()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer.stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        timer.read()
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        timer.readCompleted()
        context.fireChannelReadComplete()
    }

    func flush(context: ChannelHandlerContext) {
        timer.flushed()
        context.flush()
    }

    private func start(_ context: ChannelHandlerContext) {
        timer.start(on: context.eventLoop) {
            guard context.channel.isActive else { return }
            context.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        }
    }
}

/// An idle timeout: activity is stamped once per read burst (``read()`` … ``readCompleted()``) and once per
/// flush, not per message; `onIdle` runs when neither happened for `timeout` (and again every `timeout` after).
/// Only used on its event loop. ``stop()`` when the channel closes: the scheduled check holds `onIdle`.
final class IdleTimer {
    let timeout: TimeAmount
    private var lastActivity = NIODeadline.uptimeNanoseconds(0)
    private var reading = false
    private var check: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func start(on eventLoop: any EventLoop, onIdle: @escaping () -> Void) {
        guard check == nil else { return }
        lastActivity = .now()
        schedule(on: eventLoop, at: lastActivity + timeout, onIdle)
    }

    func stop() {
        check?.cancel()
        check = nil
    }

    func read() { reading = true }

    func readCompleted() {
        if reading {
            reading = false
            lastActivity = .now()
        }
    }

    func flushed() { lastActivity = .now() }

    private func schedule(on eventLoop: any EventLoop, at deadline: NIODeadline, _ onIdle: @escaping () -> Void) {
        check = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            let now = NIODeadline.now()
            let due = lastActivity + timeout
            // a burst of reads under way counts as activity
            if reading || due > now {
                schedule(on: eventLoop, at: reading ? now + timeout : due, onIdle)
            } else {
                schedule(on: eventLoop, at: now + timeout, onIdle)
                onIdle()
            }
        }
    }
}
