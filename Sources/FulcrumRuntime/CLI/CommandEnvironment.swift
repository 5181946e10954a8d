import ArgumentParser
import Foundation

/// What commands take from the process: its environment, and the mapping of runtime errors to exit statuses.
enum CommandEnvironment {
    /// The process's environment variables.
    static var process: [String: String] { ProcessInfo.processInfo.environment }

    /// Runs `body`; a `RuntimeError` is printed to stderr and becomes exit status 1.
    static func exitOnFailure<T>(_ body: () throws(RuntimeError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            StandardError.write("fulcrum: \(error.message)")
            throw ExitCode(ExitStatus.databaseNotReady)
        }
    }
}
