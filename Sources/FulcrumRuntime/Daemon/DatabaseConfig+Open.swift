import Foundation
public import FulcrumSQLite
import FulcrumStore

extension DatabaseConfig {
    /// Opens the database at `path`, creating its parent directory and the file if needed. Does not migrate.
    ///
    /// - Throws: `RuntimeError` `.databaseUnavailable`.
    public func open() throws(RuntimeError) -> FulcrumDatabase {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return try FulcrumDatabase.open(path: path, configuration: .init(busyTimeout: busyTimeout))
        } catch {
            throw RuntimeError(
                .databaseUnavailable, "Cannot open the database \(path): \(error)", path: path,
                underlying: String(describing: error))
        }
    }

    /// Opens the database and refuses an outdated schema, as every daemon does before starting.
    ///
    /// - Throws: `RuntimeError` `.schemaOutdated` whose message says to run `fulcrum db upgrade`, or
    ///   `.databaseUnavailable`.
    public func openCurrent() throws(RuntimeError) -> FulcrumDatabase {
        let database = try open()
        do {
            try database.requireCurrentSchema()
        } catch let error as StoreError where error.code == .schemaOutdated {
            throw RuntimeError(
                .schemaOutdated, "Database \(path): \(error.message)", path: path, underlying: error.description)
        } catch {
            throw RuntimeError(
                .databaseUnavailable, "Cannot read the schema of the database \(path): \(error)", path: path,
                underlying: String(describing: error))
        }
        return database
    }
}
