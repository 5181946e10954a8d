import FulcrumWire
import NIOCore
import NIOExtras
import NIOSSL
import Synchronization

/// The parts of a listener's config that connections read when they start; swapped in place on apply.
struct ListenerSettings: Sendable {
    var config: ListenerConfig
    var cidrs: CIDRSet
    var pool: PoolRuntime?
    /// L7 policies and the pools they redirect to.
    var router = L7Router([])
    var pools: [String: PoolRuntime] = [:]
    /// TERMINATED_HTTPS: the server context built from the listener's TLS material.
    var tls: NIOSSLContext?

    var connectTimeout: TimeAmount { .milliseconds(Int64(max(config.timeouts.memberConnectMs, 1))) }
    var clientTimeout: TimeAmount? {
        config.timeouts.clientDataMs > 0 ? .milliseconds(Int64(config.timeouts.clientDataMs)) : nil
    }
    var memberTimeout: TimeAmount? {
        config.timeouts.memberDataMs > 0 ? .milliseconds(Int64(config.timeouts.memberDataMs)) : nil
    }
}

/// One bound listener. Its server channel lives as long as the listener's id, protocol and port are unchanged;
/// config changes swap `settings` and leave established connections alone. A listener that is removed or
/// replaced drains (``drain(on:)``).
final class ListenerRuntime: Sendable {
    let id: String
    let `protocol`: ListenerProtocol
    let requestedPort: Int
    let counters = TrafficCounters()
    /// Collects the accepted connections of a TCP-based listener so that a drain can reach them (nil for UDP).
    let quiescing: ServerQuiescingHelper?
    private let settingsBox: Mutex<ListenerSettings>
    private let channelBox = Mutex<(any Channel)?>(nil)

    init(settings: ListenerSettings, quiescing: ServerQuiescingHelper? = nil) {
        self.id = settings.config.id
        self.protocol = settings.config.protocol
        self.requestedPort = settings.config.port
        self.quiescing = quiescing
        self.settingsBox = Mutex(settings)
    }

    var settings: ListenerSettings {
        get { settingsBox.withLock { $0 } }
        set { settingsBox.withLock { $0 = newValue } }
    }

    var serverChannel: (any Channel)? {
        get { channelBox.withLock { $0 } }
        set { channelBox.withLock { $0 = newValue } }
    }

    var boundPort: Int? { serverChannel?.localAddress?.port }

    /// Stops accepting and tells every established connection to finish (``DrainDeadlineHandler`` bounds how
    /// long); the future completes once the last one closed. A UDP listener just closes its socket.
    func drain(on loop: any EventLoop) -> EventLoopFuture<Void> {
        guard let quiescing else {
            return serverChannel?.close() ?? loop.makeSucceededVoidFuture()
        }
        let promise = loop.makePromise(of: Void.self)
        quiescing.initiateShutdown(promise: promise)
        return promise.futureResult
    }

    /// Admission of a new client: CIDR and connection limit. On success the connection is counted.
    func admit(remote: SocketAddress?) -> Bool {
        let settings = self.settings
        guard let address = remote?.ipAddress, settings.cidrs.contains(address) else { return false }
        guard counters.active.load(ordering: .relaxed) < settings.config.effectiveConnectionLimit else {
            return false
        }
        counters.opened()
        return true
    }

    /// `OPEN` or `FULL`.
    var status: String {
        counters.active.load(ordering: .relaxed) >= settings.config.effectiveConnectionLimit ? "FULL" : "OPEN"
    }
}
