public import NIOCore

/// Settings of the engine itself (not of the load balancer it serves).
public struct EngineConfiguration: Sendable {
    /// Address listeners bind to; nil binds the config's VIP.
    public var bindHost: String?
    /// What one second of Octavia's `delay`/`timeout` lasts (tests shorten it).
    public var healthCheckUnit: TimeAmount
    /// How long the connections of a removed or replaced listener (and of every listener on shutdown) may stay
    /// open before they are closed. Fulcrum's own default: HAProxy bounds a reload with `hard-stop-after`, which
    /// Octavia's template does not set.
    public var drainTimeout: TimeAmount
    /// How PING monitors probe; nil: the best this process may use (``PingMethod/detect()``).
    public var pingMethod: PingMethod?

    /// Creates a configuration.
    public init(
        bindHost: String? = nil, healthCheckUnit: TimeAmount = .seconds(1), drainTimeout: TimeAmount = .seconds(30),
        pingMethod: PingMethod? = nil
    ) {
        self.bindHost = bindHost
        self.healthCheckUnit = healthCheckUnit
        self.drainTimeout = drainTimeout
        self.pingMethod = pingMethod
    }
}
