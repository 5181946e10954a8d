public import NIOCore

/// Settings of the engine itself (not of the load balancer it serves).
public struct EngineConfiguration: Sendable {
    /// Address listeners bind to; nil binds the config's VIP.
    public var bindHost: String?
    /// What one second of Octavia's `delay`/`timeout` lasts (tests shorten it).
    public var healthCheckUnit: TimeAmount

    /// Creates a configuration.
    public init(bindHost: String? = nil, healthCheckUnit: TimeAmount = .seconds(1)) {
        self.bindHost = bindHost
        self.healthCheckUnit = healthCheckUnit
    }
}
