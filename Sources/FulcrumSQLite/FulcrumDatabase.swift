import FulcrumModel
import FulcrumQueue
import FulcrumStore
import GRDB

/// The process's one handle on the SQLite database: a WAL `DatabasePool` with a busy timeout,
/// plus the schema migrations. Everything outside this module sees model values only.
public final class FulcrumDatabase: Sendable {
    /// Database tuning.
    public struct Configuration: Sendable, Hashable {
        /// How long a writer waits for the lock before failing with SQLITE_BUSY.
        public var busyTimeout: Duration
        /// Maximum concurrent readers.
        public var maximumReaderCount: Int

        /// Creates a configuration.
        public init(busyTimeout: Duration = .seconds(10), maximumReaderCount: Int = 4) {
            self.busyTimeout = busyTimeout
            self.maximumReaderCount = maximumReaderCount
        }
    }

    let writer: any DatabaseWriter

    private init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Opens (creating if needed) the database file at `path` in WAL mode. Does not migrate.
    public static func open(path: String, configuration: Configuration = .init()) throws -> FulcrumDatabase {
        var config = GRDB.Configuration()
        config.busyMode = .timeout(configuration.busyTimeout.timeInterval)
        config.maximumReaderCount = configuration.maximumReaderCount
        config.foreignKeysEnabled = true
        config.label = "fulcrum"
        return FulcrumDatabase(writer: try DatabasePool(path: path, configuration: config))
    }

    /// A private in-memory database, migrated, for tests and the noop control plane.
    public static func inMemory() throws -> FulcrumDatabase {
        var config = GRDB.Configuration()
        config.foreignKeysEnabled = true
        let database = FulcrumDatabase(writer: try DatabaseQueue(configuration: config))
        try database.migrate()
        return database
    }

    /// Applies every pending migration (what `fulcrum db upgrade` runs).
    public func migrate() throws {
        try Schema.migrator.migrate(writer)
    }

    /// Names of the migrations this build knows that the database has not applied yet.
    public func pendingMigrations() throws -> [String] {
        let applied = try writer.read { db in try Schema.migrator.appliedIdentifiers(db) }
        return Schema.migrator.migrations.filter { !applied.contains($0) }
    }

    /// Every migration identifier recorded in the database, including any this build does not know, sorted.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Schema.migrator.appliedIdentifiers(db) }.sorted()
    }

    /// Applies the known migrations up to and including `identifier`; tests build old schemas with it.
    package func migrate(upTo identifier: String) throws {
        try Schema.migrator.migrate(writer, upTo: identifier)
    }

    /// Names of all migrations this build knows, oldest first.
    public static var knownMigrations: [String] { Schema.migrator.migrations }

    /// Throws `StoreError.schemaOutdated` unless every migration has been applied; daemons call
    /// this before starting and refuse to run on an old schema.
    public func requireCurrentSchema() throws {
        let pending = try pendingMigrations()
        guard pending.isEmpty else {
            throw StoreError(
                .schemaOutdated,
                "The database schema is out of date (\(pending.count) pending migration(s): "
                    + "\(pending.joined(separator: ", "))). Run `fulcrum db upgrade`."
            )
        }
        let superseded = try writer.read { db in try Schema.migrator.hasBeenSuperseded(db) }
        guard !superseded else {
            throw StoreError(.schemaOutdated, "The database was migrated by a newer Fulcrum; upgrade this binary.")
        }
    }
}
