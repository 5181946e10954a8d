import NIOCore
import Synchronization

/// First handler of every accepted TCP connection: when its listener drains (a `ChannelShouldQuiesceEvent` from
/// nio-extras' `ServerQuiescingHelper`), the connection gets `timeout` to finish before it is closed. HTTP
/// connections end sooner on their own: `HTTPProxyHandler` closes an idle one at once and a busy one
/// after the response in flight (with `connection: close`).
final class DrainDeadlineHandler: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, deadline == nil {
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }
}

/// The listeners that stopped accepting and still have connections, each with the future that completes when
/// the last one closed.
final class ListenerDrains: Sendable {
    private let pending = Mutex<[ObjectIdentifier: EventLoopFuture<Void>]>([:])

    /// Tracks `listener` until `done` completes.
    func add(_ listener: ListenerRuntime, done: EventLoopFuture<Void>) {
        let key = ObjectIdentifier(listener)
        pending.withLock { $0[key] = done }
        done.whenComplete { [self] _ in pending.withLock { $0[key] = nil } }
    }

    /// How many listeners are draining now.
    var count: Int { pending.withLock { $0.count } }

    /// Returns once every drain started so far has ended.
    func wait() async {
        for future in pending.withLock({ Array($0.values) }) { try? await future.get() }
    }
}
