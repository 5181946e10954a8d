public import FulcrumWire
public import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The balancing engine: binds the listeners of an ``AmphoraConfig``, proxies to pool members and monitors
/// their health. `apply` is hitless: listeners whose id, protocol and port stay keep their socket and their
/// established connections; everything else a connection reads is swapped in place. A listener that is removed,
/// or whose protocol or port changes, drains: it stops accepting at once, idle HTTP connections close, requests
/// in flight get their response (with `connection: close`), and whatever is still open after
/// ``EngineConfiguration/drainTimeout`` is closed.
public actor Engine {
    private let group: any EventLoopGroup
    private let configuration: EngineConfiguration
    private let upstreams = UpstreamPools()
    private let metrics = EngineMetrics()
    private let drains = ListenerDrains()
    private var listeners: [String: ListenerRuntime] = [:]
    private var pools: [String: PoolRuntime] = [:]
    private var checkers: [String: (monitor: HealthMonitorConfig, checker: HealthChecker)] = [:]
    /// The config in force.
    public private(set) var config: AmphoraConfig?
    private var isShutDown = false

    /// How PING monitors probe members here (``EngineConfiguration/pingMethod``, else detected once at init).
    public nonisolated let pingMethod: PingMethod

    /// Creates an engine that serves on `group`.
    public init(group: any EventLoopGroup, configuration: EngineConfiguration = .init()) {
        self.group = group
        self.configuration = configuration
        self.pingMethod = configuration.pingMethod ?? PingMethod.detect()
    }

    /// Applies `new` when its generation is newer than the one in force (an equal generation is a no-op).
    @discardableResult
    public func apply(_ new: AmphoraConfig) async throws -> ApplyResult {
        if let config, new.generation <= config.generation {
            let same = new == config
            return ApplyResult(
                generation: config.generation, applied: false,
                message: same ? "generation already in force" : "older generation refused")
        }
        // TLS material is checked before anything changes, so a bad document leaves the running config intact
        var contexts: [String: NIOSSLContext] = [:]
        for listener in new.listeners {
            if let context = try TerminatedTLS.context(listener) { contexts[listener.id] = context }
        }
        // pools first, so listeners bound below find them
        var nextPools: [String: PoolRuntime] = [:]
        for poolConfig in new.pools {
            let pool = pools[poolConfig.id] ?? PoolRuntime(config: poolConfig)
            pool.update(poolConfig)
            nextPools[poolConfig.id] = pool
        }
        pools = nextPools
        updateCheckers()
        let host = configuration.bindHost ?? new.vip
        // listeners removed, or whose protocol or port changed, stop accepting first (freeing their ports) and
        // drain in the background: their connections finish within the drain timeout
        let wanted = Dictionary(new.listeners.map { ($0.id, $0) }) { first, _ in first }
        var closing: [EventLoopFuture<Void>] = []
        for (id, old) in listeners {
            if let keep = wanted[id], keep.protocol == old.protocol, keep.port == old.requestedPort { continue }
            listeners[id] = nil
            drains.add(old, done: old.drain(on: group.next()))
            if let closed = old.serverChannel?.closeFuture { closing.append(closed) }
        }
        for closed in closing { try? await closed.get() }
        var nextListeners: [String: ListenerRuntime] = [:]
        for listenerConfig in new.listeners {
            let settings = ListenerSettings(
                config: listenerConfig, cidrs: CIDRSet(listenerConfig.allowedCidrs),
                pool: listenerConfig.defaultPoolId.flatMap { nextPools[$0] },
                router: L7Router(listenerConfig.l7Policies), pools: nextPools,
                tls: contexts[listenerConfig.id])
            if let existing = listeners[listenerConfig.id] {
                existing.settings = settings
                nextListeners[listenerConfig.id] = existing
                continue
            }
            let udp = listenerConfig.protocol == .udp
            let quiescing = udp ? nil : ServerQuiescingHelper(group: group)
            let runtime = ListenerRuntime(settings: settings, quiescing: quiescing)
            runtime.serverChannel =
                udp
                ? try await bindUDP(runtime, host: host, port: listenerConfig.port)
                : try await bind(runtime, host: host, port: listenerConfig.port)
            nextListeners[listenerConfig.id] = runtime
        }
        listeners = nextListeners
        config = new
        metrics.publish(listeners: Array(listeners.values), pools: Array(pools.values), generation: new.generation)
        return ApplyResult(generation: new.generation, applied: true, message: "applied")
    }

    private func updateCheckers() {
        var next: [String: (monitor: HealthMonitorConfig, checker: HealthChecker)] = [:]
        for (id, pool) in pools {
            guard let monitor = pool.config.healthMonitor, monitor.adminStateUp else { continue }
            if let existing = checkers[id], existing.monitor == monitor {
                next[id] = existing
            } else {
                checkers[id]?.checker.cancel()
                next[id] = (
                    monitor,
                    HealthChecker(
                        pool: pool, monitor: monitor, eventLoop: group.next(), unit: configuration.healthCheckUnit,
                        ping: pingMethod)
                )
            }
        }
        for (id, entry) in checkers where next[id] == nil || next[id]!.checker !== entry.checker {
            entry.checker.cancel()
        }
        checkers = next
    }

    private func bind(_ listener: ListenerRuntime, host: String, port: Int) async throws -> any Channel {
        let upstreams = self.upstreams
        let metrics = self.metrics
        let drainTimeout = configuration.drainTimeout
        let quiescing = listener.quiescing
        return try await ServerBootstrap(group: group)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let quiescing {
                        try channel.pipeline.syncOperations.addHandler(
                            quiescing.makeServerChannelHandler(channel: channel))
                    }
                }
            }
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DrainDeadlineHandler(timeout: drainTimeout))
                    try Self.initialize(channel, listener: listener, upstreams: upstreams, metrics: metrics)
                }
            }
            .bind(host: host, port: port).get()
    }

    private func bindUDP(_ listener: ListenerRuntime, host: String, port: Int) async throws -> any Channel {
        try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UDPFrontendHandler(listener: listener))
                }
            }
            .bind(host: host, port: port).get()
    }

    private static func initialize(
        _ channel: any Channel, listener: ListenerRuntime, upstreams: UpstreamPools, metrics: EngineMetrics
    ) throws {
        guard listener.admit(remote: channel.remoteAddress) else {
            channel.close(promise: nil)
            return
        }
        let counters = listener.counters
        channel.closeFuture.whenComplete { _ in counters.closed() }
        let settings = listener.settings
        let sync = channel.pipeline.syncOperations
        if listener.protocol == .prometheus {
            try sync.addHandler(ByteCounterHandler(onIn: counters.addIn, onOut: counters.addOut))
            try sync.addHandler(HTTPResponseEncoder())
            try sync.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
            try sync.addHandler(RequestErrorCounter(onError: counters.requestError))
            try sync.addHandler(HTTPServerPipelineHandler())
            try sync.addHandler(HTTPServerProtocolErrorHandler())
            if let timeout = settings.clientTimeout { try sync.addHandler(IdleTimeoutHandler(timeout: timeout)) }
            try sync.addHandler(MetricsEndpointHandler(counters: counters, render: metrics.render))
        } else if listener.protocol == .http || listener.protocol == .terminatedHTTPS {
            let tls = listener.protocol == .terminatedHTTPS
            if tls {
                guard let context = settings.tls else { throw EngineError(.invalidConfig, "no TLS context") }
                // raw bytes are counted below TLS, both ways
                try sync.addHandler(ByteCounterHandler(onIn: counters.addIn, onOut: counters.addOut))
                // a client's close_notify closes the connection (answered with ours) instead of half-closing
                // it: nothing above would close it and the client would wait for our close_notify
                try channel.syncOptions?.setOption(ChannelOptions.allowRemoteHalfClosure, value: false)
                try sync.addHandler(NIOSSLServerHandler(context: context))
            } else {
                // the proxy handler counts what it writes, so writes skip this handler
                try sync.addHandler(InboundByteCounterHandler(onIn: counters.addIn))
            }
            // no NIOHTTP1 codec: the proxy handler frames the client's requests and the member's responses as bytes,
            // serialises pipelined requests, drains on ChannelShouldQuiesceEvent, counts and answers malformed
            // requests, sets the X-SSL-* headers and keeps the client timeout itself
            try sync.addHandler(
                HTTPProxyHandler(
                    listener: listener, upstreams: upstreams.pool(for: channel.eventLoop),
                    clientTimeout: settings.clientTimeout, countsOutbound: !tls))
        } else {
            // TCP and HTTPS (passthrough) are spliced as TCP
            if let timeout = settings.clientTimeout { try sync.addHandler(IdleTimeoutHandler(timeout: timeout)) }
            try channel.syncOptions?.setOption(ChannelOptions.autoRead, value: false)
            TCPProxy.start(client: channel, listener: listener)
        }
    }

    /// The port a listener is bound to (useful with port 0).
    public func boundPort(listener id: String) -> Int? { listeners[id]?.boundPort }

    /// Every listener and member counter as Prometheus text (format 0.0.4): what `GET /metrics` on the agent
    /// API and a PROMETHEUS listener serve. Reads atomics and pool state, never waits for the actor.
    public nonisolated func prometheusText() -> String { metrics.render() }

    /// Cumulative counters per listener and member.
    public func stats() -> AgentStats {
        var members: [String: TrafficStats] = [:]
        for pool in pools.values { members.merge(pool.memberCounters) { a, _ in a } }
        return AgentStats(listeners: listeners.mapValues { $0.counters.snapshot }, members: members)
    }

    /// Whether every configured listener has an active server socket: the health an ACTIVE_STANDBY amphora
    /// yields the VIP on. True with no listeners; false after ``shutdown()``. Cheap: no I/O.
    public var isServing: Bool {
        !isShutDown && listeners.values.allSatisfy { $0.serverChannel?.isActive == true }
    }

    /// Listener and member statuses.
    public func health() -> AgentHealth {
        AgentHealth(
            status: "OK", listeners: listeners.mapValues(\.status),
            members: pools.mapValues { $0.statuses.members })
    }

    /// Heartbeat material: listener status + cumulative counters, and pool entries keyed `pool:listener`.
    public func heartbeatSnapshot() -> (
        listeners: [String: (status: String, stats: TrafficStats)], pools: [String: HeartbeatMessage.Pool]
    ) {
        var poolEntries: [String: HeartbeatMessage.Pool] = [:]
        for listener in listeners.values {
            guard let pool = listener.settings.pool else { continue }
            let statuses = pool.statuses
            poolEntries["\(pool.id):\(listener.id)"] = HeartbeatMessage.Pool(
                status: statuses.pool, members: statuses.members)
        }
        return (listeners.mapValues { ($0.status, $0.counters.snapshot) }, poolEntries)
    }

    /// How many removed or replaced listeners still have connections open.
    public var drainingListeners: Int { drains.count }

    /// Stops health checks and drains every listener; returns once their connections have closed (at most
    /// ``EngineConfiguration/drainTimeout`` after the call).
    public func shutdown() async {
        isShutDown = true
        for entry in checkers.values { entry.checker.cancel() }
        checkers = [:]
        for listener in listeners.values { drains.add(listener, done: listener.drain(on: group.next())) }
        listeners = [:]
        metrics.publish(listeners: [], pools: [], generation: config?.generation ?? 0)
        await drains.wait()
    }
}
