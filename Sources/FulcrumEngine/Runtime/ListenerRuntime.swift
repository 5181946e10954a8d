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
    var router: L7Router
    var pools: [String: PoolRuntime]
    /// TERMINATED_HTTPS: the server context built from the listener's TLS material.
    var tls: NIOSSLContext?
    /// `insert_headers` resolved once, not per request.
    let inserted: InsertedHeaders
    /// A TERMINATED_HTTPS listener inserting one of the `X-SSL-*` headers.
    let insertsCertificateHeaders: Bool

    init(
        config: ListenerConfig, cidrs: CIDRSet, pool: PoolRuntime?, router: L7Router = L7Router([]),
        pools: [String: PoolRuntime] = [:], tls: NIOSSLContext? = nil
    ) {
        self.config = config
        self.cidrs = cidrs
        self.pool = pool
        self.router = router
        self.pools = pools
        self.tls = tls
        self.inserted = InsertedHeaders(config)
        self.insertsCertificateHeaders =
            config.protocol == .terminatedHTTPS && ClientCertificateHeaders.names.contains { config.inserts($0) }
    }

    var connectTimeout: TimeAmount { .milliseconds(Int64(max(config.timeouts.memberConnectMs, 1))) }
    var clientTimeout: TimeAmount? {
        config.timeouts.clientDataMs > 0 ? .milliseconds(Int64(config.timeouts.clientDataMs)) : nil
    }
    var memberTimeout: TimeAmount? {
        config.timeouts.memberDataMs > 0 ? .milliseconds(Int64(config.timeouts.memberDataMs)) : nil
    }
}

/// The `insert_headers` a listener asks for.
struct InsertedHeaders: Sendable {
    var forwardedFor = false
    var forwardedPort = false
    var forwardedProto = false
    /// X-Real-IP, X-Client-IP, X-Forwarded-IP: each set to the client address.
    var addressHeaders: [String] = []

    init(_ config: ListenerConfig) {
        forwardedFor = config.inserts("X-Forwarded-For")
        forwardedPort = config.inserts("X-Forwarded-Port")
        forwardedProto = config.inserts("X-Forwarded-Proto")
        addressHeaders = ["X-Real-IP", "X-Client-IP", "X-Forwarded-IP"].filter { config.inserts($0) }
    }

    var isEmpty: Bool { !forwardedFor && !forwardedPort && !forwardedProto && addressHeaders.isEmpty }

    /// Whether a client's header `name` is dropped because an inserted one replaces it (all but X-Forwarded-For,
    /// which is appended to).
    func replaces(_ name: UnsafeRawBufferPointer) -> Bool {
        (forwardedPort && HTTPResponseFramer.equalsLowercased(name, "x-forwarded-port"))
            || (forwardedProto && HTTPResponseFramer.equalsLowercased(name, "x-forwarded-proto"))
            || addressHeaders.contains { HTTPResponseFramer.equalsIgnoringCase(name, $0) }
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
    /// Bumped on every settings change, so a connection re-reads `settings` only when they changed.
    let settingsVersion = Atomic<UInt64>(0)
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
        set {
            settingsBox.withLock { $0 = newValue }
            settingsVersion.add(1, ordering: .releasing)
        }
    }

    /// The settings in force and their version.
    var versionedSettings: (settings: ListenerSettings, version: UInt64) {
        let version = settingsVersion.load(ordering: .acquiring)
        return (settings, version)
    }

    /// The settings in force and their version, or nil while `version` is still current (one atomic load).
    func settings(ifChangedSince version: UInt64) -> (settings: ListenerSettings, version: UInt64)? {
        let now = settingsVersion.load(ordering: .acquiring)
        guard now != version else { return nil }
        return (settings, now)
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
        guard let address = remote?.ipAddress else { return false }
        // reads two fields under the lock rather than copying the whole settings per connection
        let (allowed, limit) = settingsBox.withLock { ($0.cidrs.contains(address), $0.config.effectiveConnectionLimit) }
        guard allowed, counters.active.load(ordering: .relaxed) < limit else { return false }
        counters.opened()
        return true
    }

    /// `OPEN` or `FULL`.
    var status: String {
        counters.active.load(ordering: .relaxed) >= settings.config.effectiveConnectionLimit ? "FULL" : "OPEN"
    }
}
