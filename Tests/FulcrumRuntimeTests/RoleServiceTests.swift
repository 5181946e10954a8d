import FulcrumRuntime
import FulcrumSQLite
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

@Suite("Role services")
struct RoleServiceTests {
    @Test("a role's service group runs until graceful shutdown, then returns", arguments: Role.allCases)
    func gracefulShutdown(role: Role) async throws {
        let database = try FulcrumDatabase.inMemory()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var config = AppConfig()
        config.amphora.stateDirectory = directory.path
        // Any free port: a fixed one may be held by a running service (a demo) or another test.
        config.api.port = 0
        config.healthManager.bindAddresses = ["127.0.0.1:0"]
        config.api.metricsAddress = "127.0.0.1:0"
        config.worker.metricsAddress = "127.0.0.1:0"
        config.healthManager.metricsAddress = "127.0.0.1:0"
        config.housekeeping.metricsAddress = "127.0.0.1:0"
        let runner = DaemonRunner(role: role, config: config, logger: Logger(label: "test"))
        let group = try runner.serviceGroup(database: database, handlesSignals: false)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                trigger.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    @Test("executable names")
    func names() {
        #expect(
            Role.allCases.map(\.executableName) == [
                "fulcrum-api", "fulcrum-worker", "fulcrum-health-manager", "fulcrum-housekeeping",
            ])
    }
}
