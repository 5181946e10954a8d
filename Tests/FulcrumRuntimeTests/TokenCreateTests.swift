import ArgumentParser
import Foundation
import FulcrumAPI
import FulcrumQueue
import FulcrumRuntime
import FulcrumSQLite
import FulcrumStore
import Logging
import Testing

@Suite("fulcrum token-create and the api role")
struct TokenCreateTests {
    @Test("token-create prints a new token and stores only its hash, project, roles and expiry")
    func createsHashedToken() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (config, database) = try DatabaseBootstrapTests.configFile(in: directory)
        _ = try await DBCommand.Upgrade.parse(["--config", config]).upgrade(environment: [:])
        let command = try TokenCreateCommand.parse([
            "--config", config, "--project", "project-x", "--role", "observer", "--expires-in-days", "2",
        ])
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let token = try await command.create(environment: [:], now: now)
        #expect(token.count == 64)
        let store = SQLiteStore(database: try FulcrumDatabase.open(path: database))
        let stored = try #require(try await store.token(hash: TokenDigest.hash(token)))
        #expect(stored.projectID == "project-x")
        #expect(stored.roles == [.observer])
        #expect(stored.expiresAt == now.addingTimeInterval(2 * 86_400))
        #expect(try await store.token(hash: token) == nil)
        let second = try await command.create(environment: [:], now: now)
        #expect(second != token)
    }

    @Test("token-create rejects unknown roles and non-positive expiry at parse time")
    func validation() {
        #expect(throws: (any Error).self) { try TokenCreateCommand.parse(["--project", "p", "--role", "root"]) }
        #expect(throws: (any Error).self) {
            try TokenCreateCommand.parse(["--project", "p", "--expires-in-days", "0"])
        }
        #expect(throws: (any Error).self) { try TokenCreateCommand.parse(["--role", "member"]) }
        #expect((try? TokenCreateCommand.parse(["--project", "p"]))?.roles == ["member"])
    }

    @Test("the api role runs the API service; the worker the task worker")
    func apiRoleService() throws {
        let runner = DaemonRunner(role: .api, config: AppConfig(), logger: Logger(label: "test"))
        let services = try runner.services(database: try FulcrumDatabase.inMemory())
        #expect(services.contains { $0 is APIService })
        #expect(services.contains { $0 is MetricsServer }, "api.metrics_address is set by default")
        #expect(
            services.contains { "\($0)".contains("FloatingIPForwarder") }, "the floating-IP forwarder runs in the API")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var config = AppConfig()
        config.amphora.stateDirectory = directory.path
        let worker = DaemonRunner(role: .worker, config: config, logger: Logger(label: "test"))
        let workerServices = try worker.services(database: try FulcrumDatabase.inMemory())
        #expect(workerServices.count == 4)
        #expect(workerServices.contains { $0 is TaskWorker }, "the worker runs the task worker")
        #expect(workerServices.contains { $0 is QueueDepthSampler })
        #expect(workerServices.last is MetricsServer, "worker.metrics_address is set by default")
        config.worker.metricsAddress = ""
        let quiet = DaemonRunner(role: .worker, config: config, logger: Logger(label: "test"))
        #expect(try !quiet.services(database: try FulcrumDatabase.inMemory()).contains { $0 is MetricsServer })
    }
}
