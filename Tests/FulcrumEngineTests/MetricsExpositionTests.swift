import FulcrumEngine
import FulcrumTestSupport
import FulcrumWire
import Synchronization
import Testing

@Suite("Metrics exposition on loopback", .timeLimit(.minutes(1)))
struct MetricsExpositionTests {
    /// An HTTP listener `l1` on pool `p1` (members `a`, `b`, HTTP monitor on /health) and a PROMETHEUS listener
    /// `prom`, both on port 0.
    static func config(_ a: TestBackend, _ b: TestBackend) -> AmphoraConfig {
        let monitor = HealthMonitorConfig(
            type: .http, delay: 1, timeout: 20, maxRetries: 1, maxRetriesDown: 1, urlPath: "/health",
            expectedCodes: "200")
        var config = EngineFixture.config(members: [a, b].map { EngineFixture.member($0) }, monitor: monitor)
        config.listeners.append(ListenerConfig(id: "prom", protocol: .prometheus, port: 0))
        return config
    }

    static func parse(_ engine: Engine) throws -> PrometheusText {
        try PrometheusText(parsing: engine.prometheusText())
    }

    @Test("connections, requests and bytes move with real traffic; members report up/down health")
    func countersMove() async throws {
        let a = try await TestBackend.start("a")
        let b = try await TestBackend.start("b")
        let (engine, port) = try await EngineFixture.start(Self.config(a, b))
        let before = try Self.parse(engine)
        #expect(before.value("fulcrum_amphora_config_generation") == 1)
        #expect(before.value("fulcrum_listener_connections_total", ["listener": "l1"]) == 0)
        #expect(before.value("fulcrum_member_up", ["pool": "p1", "member": "a"]) == 1)

        for _ in 0..<4 { #expect(try await fetch(port: port)?.status == 200) }
        #expect(
            try await EngineFixture.eventually {
                try Self.parse(engine).value("fulcrum_listener_connections_current", ["listener": "l1"]) == 0
            })
        let after = try Self.parse(engine)
        let l1 = ["listener": "l1"]
        #expect(after.value("fulcrum_listener_connections_total", l1) == 4)
        #expect(after.value("fulcrum_listener_requests_total", l1) == 4)
        #expect(after.value("fulcrum_listener_request_errors_total", l1) == 0)
        #expect((after.value("fulcrum_listener_bytes_in_total", l1) ?? 0) > 100)
        #expect((after.value("fulcrum_listener_bytes_out_total", l1) ?? 0) > 100)
        #expect(after.value("fulcrum_listener_status", ["listener": "l1", "state": "OPEN"]) == 1)
        #expect(after.value("fulcrum_listener_status", ["listener": "l1", "state": "FULL"]) == 0)
        #expect(after.value("fulcrum_listener_connection_limit", l1) == Double(ListenerConfig.defaultConnectionLimit))
        #expect(after.sum("fulcrum_member_connections_total", matching: ["pool": "p1"]) == 4)
        for member in ["a", "b"] {
            let labels = ["pool": "p1", "member": member]
            #expect(after.value("fulcrum_member_connections_total", labels) == 2, "round robin")
            #expect((after.value("fulcrum_member_bytes_in_total", labels) ?? 0) > 0)
            #expect((after.value("fulcrum_member_bytes_out_total", labels) ?? 0) > 0)
            #expect(after.value("fulcrum_member_status", labels.merging(["state": "UP"]) { $1 }) == 1)
        }
        // A TCP or UDP listener would not count requests: only HTTP-parsing listeners have the series.
        #expect(after.family("fulcrum_listener_requests_total")?.samples.count == 2)

        a.healthStatus.store(503, ordering: .relaxed)
        #expect(
            try await EngineFixture.eventually {
                try Self.parse(engine).value("fulcrum_member_up", ["pool": "p1", "member": "a"]) == 0
            })
        let down = try Self.parse(engine)
        #expect(down.value("fulcrum_member_status", ["pool": "p1", "member": "a", "state": "DOWN"]) == 1)
        #expect(down.value("fulcrum_member_status", ["pool": "p1", "member": "a", "state": "UP"]) == 0)
        #expect(down.value("fulcrum_member_up", ["pool": "p1", "member": "b"]) == 1)
        await engine.shutdown()
        #expect(try Self.parse(engine).family("fulcrum_listener_connections_total")?.samples.isEmpty == true)
        try await a.stop()
        try await b.stop()
    }

    @Test("a PROMETHEUS listener serves the same text at GET /metrics over plain HTTP; other paths are 404")
    func prometheusListener() async throws {
        let a = try await TestBackend.start("a")
        let b = try await TestBackend.start("b")
        let (engine, port) = try await EngineFixture.start(Self.config(a, b))
        let metricsPort = try #require(await engine.boundPort(listener: "prom"))
        #expect(try await fetch(port: port)?.status == 200)

        let response = try #require(try await fetch(port: metricsPort, "/metrics"))
        #expect(response.status == 200)
        #expect(response.header("content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let served = try PrometheusText(parsing: response.body)
        #expect(served.value("fulcrum_listener_connections_total", ["listener": "l1"]) == 1)
        #expect(served.value("fulcrum_listener_requests_total", ["listener": "prom"]) == 1, "counts itself")
        #expect(served.value("fulcrum_member_up", ["pool": "p1", "member": "a"]) == 1)

        #expect(try await fetch(port: metricsPort, "/")?.status == 404)
        #expect(
            try await EngineFixture.eventually {
                try Self.parse(engine).value("fulcrum_listener_request_errors_total", ["listener": "prom"]) == 1
            })
        // Keep-alive: two scrapes on one connection.
        let statuses = try await withConnection(port: metricsPort) { connection in
            [try await connection.get("/metrics")?.status, try await connection.get("/metrics?x=1")?.status]
        }
        #expect(statuses == [200, 200])
        await engine.shutdown()
        try await a.stop()
        try await b.stop()
    }
}
