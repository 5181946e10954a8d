import FulcrumEngine
import FulcrumWire
import Synchronization
import Testing

@Suite("Health monitors on loopback", .timeLimit(.minutes(1)))
struct HealthCheckTests {
    @Test("a TCP monitor marks a stopped member DOWN, traffic fails over to the backup, and back UP on restart")
    func tcpMonitorAndBackup() async throws {
        var primary = try await TestBackend.startOnReservedPort("primary")
        let backup = try await TestBackend.start("backup")
        let primaryPort = primary.port
        let monitor = HealthMonitorConfig(type: .tcp, delay: 1, timeout: 20, maxRetries: 2, maxRetriesDown: 2)
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(
                members: [EngineFixture.member(primary), EngineFixture.member(backup, backup: true)], monitor: monitor))
        #expect(try await fetch(port: port)?.firstLine == "primary")
        #expect(await engine.health().members["p1"]?["primary"] == "UP")
        try await primary.stop()
        #expect(try await EngineFixture.eventually { await engine.health().members["p1"]?["primary"] == "DOWN" })
        #expect(try await fetch(port: port)?.firstLine == "backup")
        #expect(try await fetch(port: port)?.firstLine == "backup")
        primary = try await TestBackend.start("primary", port: primaryPort)
        #expect(try await EngineFixture.eventually { await engine.health().members["p1"]?["primary"] == "UP" })
        #expect(try await fetch(port: port)?.firstLine == "primary")
        await engine.shutdown()
        try await primary.stop()
        try await backup.stop()
    }

    @Test("an HTTP monitor checks method, path and expected codes")
    func httpMonitor() async throws {
        let a = try await TestBackend.start("a")
        let b = try await TestBackend.start("b")
        let monitor = HealthMonitorConfig(
            type: .http, delay: 1, timeout: 20, maxRetries: 1, maxRetriesDown: 1, urlPath: "/health",
            expectedCodes: "200-204")
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(members: [a, b].map { EngineFixture.member($0) }, monitor: monitor))
        a.healthStatus.store(503, ordering: .relaxed)
        #expect(try await EngineFixture.eventually { await engine.health().members["p1"]?["a"] == "DOWN" })
        #expect(await engine.health().members["p1"]?["b"] == "UP")
        for _ in 0..<4 { #expect(try await fetch(port: port)?.firstLine == "b") }
        a.healthStatus.store(204, ordering: .relaxed)
        #expect(try await EngineFixture.eventually { await engine.health().members["p1"]?["a"] == "UP" })
        await engine.shutdown()
        try await a.stop()
        try await b.stop()
    }

    @Test("member statuses: MAINT for admin-down, DRAIN for weight 0, no check without a monitor")
    func statuses() async throws {
        let a = try await TestBackend.start("a")
        var members = [EngineFixture.member(a), EngineFixture.member(a), EngineFixture.member(a)]
        members[0].id = "maint"
        members[0].adminStateUp = false
        members[1].id = "drain"
        members[1].weight = 0
        members[2].id = "plain"
        let (engine, _) = try await EngineFixture.start(EngineFixture.config(members: members))
        #expect(await engine.health().members["p1"] == ["maint": "MAINT", "drain": "DRAIN", "plain": "no check"])
        let snapshot = await engine.heartbeatSnapshot()
        #expect(snapshot.pools["p1:l1"]?.status == "UP")
        #expect(snapshot.listeners["l1"]?.status == "OPEN")
        await engine.shutdown()
        try await a.stop()
    }
}
