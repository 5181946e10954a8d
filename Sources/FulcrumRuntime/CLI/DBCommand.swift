public import ArgumentParser
import FulcrumSQLite

/// `fulcrum db …`: schema migrations.
public struct DBCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the database schema.",
        subcommands: [Upgrade.self, Status.self]
    )

    /// Parsed by ArgumentParser.
    public init() {}

    /// `fulcrum db upgrade`: applies every pending migration (creating the database if needed).
    public struct Upgrade: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Apply pending migrations, creating the database if needed.")

        @OptionGroup public var options: RuntimeOptions

        /// Parsed by ArgumentParser.
        public init() {}

        public func run() async throws {
            print(try await upgrade(environment: CommandEnvironment.process).joined(separator: "\n"))
        }

        /// Migrates and returns the report lines `run()` prints.
        public func upgrade(environment: [String: String]) async throws -> [String] {
            let config = try await Daemon.loadConfig(options: options, environment: environment, command: "fulcrum")
            let database = try CommandEnvironment.exitOnFailure { () throws(RuntimeError) in
                try config.database.open()
            }
            let pending = try database.pendingMigrations()
            try database.migrate()
            let path = config.database.path
            guard !pending.isEmpty else { return ["\(path): schema already current; nothing to apply."] }
            return pending.map { "applied \($0)" } + [
                "\(path): schema current (\(pending.count) migration(s) applied)."
            ]
        }
    }

    /// `fulcrum db status`: lists pending migrations; exits 1 when there are any.
    public struct Status: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Show pending migrations; exit status 1 if there are any.")

        @OptionGroup public var options: RuntimeOptions

        /// Parsed by ArgumentParser.
        public init() {}

        public func run() async throws {
            let (lines, current) = try await status(environment: CommandEnvironment.process)
            print(lines.joined(separator: "\n"))
            if !current { throw ExitCode(ExitStatus.databaseNotReady) }
        }

        /// The report lines and whether the schema is current.
        public func status(environment: [String: String]) async throws -> (lines: [String], current: Bool) {
            let config = try await Daemon.loadConfig(options: options, environment: environment, command: "fulcrum")
            let database = try CommandEnvironment.exitOnFailure { () throws(RuntimeError) in
                try config.database.open()
            }
            let pending = try database.pendingMigrations()
            let path = config.database.path
            guard !pending.isEmpty else {
                return (["\(path): schema current (\(FulcrumDatabase.knownMigrations.count) migration(s))."], true)
            }
            let lines =
                pending.map { "pending \($0)" } + ["\(path): \(pending.count) pending; run `fulcrum db upgrade`."]
            return (lines, false)
        }
    }
}
