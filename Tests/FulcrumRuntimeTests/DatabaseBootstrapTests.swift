import ArgumentParser
import FulcrumRuntime
import FulcrumSQLite
import Logging
import Testing

@Suite("Database bootstrap")
struct DatabaseBootstrapTests {
    /// Writes a config file whose database lives in `directory` (in a subdirectory that does not exist yet).
    static func configFile(in directory: TemporaryDirectory) throws -> (config: String, database: String) {
        let database = directory.file("state/fulcrum.db")
        let config = try directory.write("fulcrum.yaml", "database:\n  path: \(database)\n")
        return (config, database)
    }

    @Test("`fulcrum db upgrade` migrates a new database, after which the schema check passes")
    func upgrade() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (config, database) = try Self.configFile(in: directory)

        let command = try DBCommand.Upgrade.parse(["--config", config])
        let report = try await command.upgrade(environment: [:])
        #expect(report.count == FulcrumDatabase.knownMigrations.count + 1)
        #expect(report.first == "applied \(FulcrumDatabase.knownMigrations[0])")

        let opened = try FulcrumDatabase.open(path: database)
        try opened.requireCurrentSchema()

        let again = try await command.upgrade(environment: [:])
        #expect(again == ["\(database): schema already current; nothing to apply."])
    }

    @Test("`fulcrum db status` reports pending migrations, then a current schema")
    func status() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (config, _) = try Self.configFile(in: directory)

        let status = try DBCommand.Status.parse(["--config", config])
        let before = try await status.status(environment: [:])
        #expect(!before.current)
        #expect(before.lines.last?.contains("fulcrum db upgrade") == true)

        _ = try await DBCommand.Upgrade.parse(["--config", config]).upgrade(environment: [:])
        let after = try await status.status(environment: [:])
        #expect(after.current)
    }

    @Test("a daemon refuses an un-migrated database with a message to run `fulcrum db upgrade`")
    func refusesOutdatedSchema() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var config = AppConfig()
        config.database.path = directory.file("fresh/fulcrum.db")
        let runner = DaemonRunner(role: .worker, config: config, logger: .init(label: "test"))

        let error = #expect(throws: RuntimeError.self) { try runner.openDatabase() }
        #expect(error?.code == .schemaOutdated)
        #expect(error?.message.contains("fulcrum db upgrade") == true)
    }

    @Test("a daemon opens a migrated database")
    func opensCurrentSchema() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var config = AppConfig()
        config.database.path = directory.file("fulcrum.db")
        try config.database.open().migrate()
        let runner = DaemonRunner(role: .api, config: config, logger: .init(label: "test"))
        _ = try runner.openDatabase()
    }

    @Test("an unusable database path is reported as unavailable")
    func unavailable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let blocker = try directory.write("file", "not a directory")
        var config = AppConfig()
        config.database.path = blocker + "/fulcrum.db"
        let error = #expect(throws: RuntimeError.self) { try config.database.openCurrent() }
        #expect(error?.code == .databaseUnavailable)
    }

    @Test("command lines parse")
    func parsing() throws {
        let show = try ConfigCommand.Show.parse(["--config", "/x.yaml", "--log-level", "debug"])
        #expect(show.options.config == "/x.yaml")
        #expect(show.options.logLevel == "debug")
        #expect(throws: (any Error).self) { try DBCommand.Upgrade.parse(["--bogus"]) }
    }

    @Test("`fulcrum config show` prints the effective configuration")
    func configShow() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let empty = try directory.write("empty.yaml", "# nothing but a comment\n\n")
        let show = try ConfigCommand.Show.parse(["--log-level", "debug"])
        let text = try await show.render(environment: ["FULCRUM_API_PORT": "1234", "FULCRUM_CONFIG": empty])
        #expect(text.contains("  port: 1234\n"))
        #expect(text.contains("  level: debug\n"))
    }
}
