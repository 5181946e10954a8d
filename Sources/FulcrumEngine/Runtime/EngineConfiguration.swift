public import NIOCore

/// Settings of the engine itself (not of the load balancer it serves).
public struct EngineConfiguration: Sendable {
    /// Address listeners bind to; nil binds the config's VIP.
    public var bindHost: String?
    /// What one second of Octavia's `delay`/`timeout` lasts (tests shorten it).
    public var healthCheckUnit: TimeAmount
    /// How PING monitors probe; nil: the best this process may use (``PingMethod/detect()``).
    public var pingMethod: PingMethod?

    /// Creates a configuration.
    public init(bindHost: String? = nil, healthCheckUnit: TimeAmount = .seconds(1), pingMethod: PingMethod? = nil) {
        self.bindHost = bindHost
        self.healthCheckUnit = healthCheckUnit
        self.pingMethod = pingMethod
    }
}
