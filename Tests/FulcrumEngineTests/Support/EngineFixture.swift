import FulcrumEngine
import FulcrumWire
import NIOCore
import NIOPosix
import Testing

/// Builds configs for loopback tests: listeners on port 0 of 127.0.0.1, members on in-process backends.
struct EngineFixture {
    /// One Octavia health-check second lasts 50 ms here (timeouts are given generously in units); `shutdown()`
    /// waits at most 1 s for requests a test left hanging (drain tests set their own timeout).
    static let health = EngineConfiguration(
        bindHost: "127.0.0.1", healthCheckUnit: .milliseconds(50), drainTimeout: .seconds(1))

    static func member(_ backend: TestBackend, weight: Int = 1, backup: Bool = false) -> MemberConfig {
        MemberConfig(id: backend.name, address: "127.0.0.1", port: backend.port, weight: weight, backup: backup)
    }

    static func config(
        generation: UInt64 = 1, protocol: ListenerProtocol = .http, algorithm: PoolConfig.Algorithm = .roundRobin,
        members: [MemberConfig], monitor: HealthMonitorConfig? = nil, connectionLimit: Int = -1,
        insertHeaders: [String: String] = [:], allowedCidrs: [String] = [], timeouts: ListenerTimeouts = .init()
    ) -> AmphoraConfig {
        AmphoraConfig(
            generation: generation, amphoraId: "amp", vip: "127.0.0.1",
            listeners: [
                ListenerConfig(
                    id: "l1", protocol: `protocol`, port: 0, connectionLimit: connectionLimit, timeouts: timeouts,
                    insertHeaders: insertHeaders, allowedCidrs: allowedCidrs, defaultPoolId: "p1")
            ],
            pools: [
                PoolConfig(
                    id: "p1", protocol: `protocol` == .http ? .http : .tcp, algorithm: algorithm, members: members,
                    healthMonitor: monitor)
            ])
    }

    /// Starts an engine with `config` and returns it with the listener's port.
    static func start(_ config: AmphoraConfig) async throws -> (Engine, Int) {
        let engine = Engine(group: MultiThreadedEventLoopGroup.singleton, configuration: health)
        try await engine.apply(config)
        let port = try #require(await engine.boundPort(listener: "l1"))
        return (engine, port)
    }

    /// Polls `condition` every 20 ms for up to `seconds` (a bounded wait for asynchronous health changes).
    static func eventually(seconds: Double = 20, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
