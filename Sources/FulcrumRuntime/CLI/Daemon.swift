import ArgumentParser
import Foundation
import Logging

/// The whole body of a daemon executable's `run()`: load and validate the configuration (exit 2 on error),
/// bootstrap logging, open the database (exit 1 if its schema is outdated) and run the role until SIGTERM/SIGINT.
public enum Daemon {
    /// Runs `role` with the process's environment.
    ///
    /// - Throws: `ExitCode` for configuration (2) and database (1) failures, after printing why to stderr.
    public static func main(role: Role, options: RuntimeOptions) async throws {
        let config = try await loadConfig(
            options: options, environment: ProcessInfo.processInfo.environment, command: role.executableName)
        do {
            try config.validate(for: role)
        } catch {
            StandardError.write("\(role.executableName): invalid configuration: \(error)")
            throw ExitCode(ExitStatus.invalidConfiguration)
        }
        LoggingBootstrap.bootstrap(level: config.logging.level)
        let runner = DaemonRunner(role: role, config: config, logger: Logger(label: role.executableName))
        do {
            try await runner.run()
        } catch let error as RuntimeError {
            StandardError.write("\(role.executableName): \(error.message)")
            throw ExitCode(ExitStatus.databaseNotReady)
        }
    }

    /// Loads the configuration for a command, turning a `ConfigError` into a message and exit status 2.
    static func loadConfig(
        options: RuntimeOptions, environment: [String: String], command: String
    ) async throws
        -> AppConfig
    {
        do {
            return try await options.loadConfig(environment: environment)
        } catch let error as ConfigError {
            StandardError.write("\(command): invalid configuration: \(error)")
            throw ExitCode(ExitStatus.invalidConfiguration)
        }
    }
}

/// Process-wide logging setup; called once by an executable's entry point, never by a library.
enum LoggingBootstrap {
    static func bootstrap(level: String) {
        let logLevel = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
    }
}

/// Writes operator-facing messages to stderr.
enum StandardError {
    static func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
