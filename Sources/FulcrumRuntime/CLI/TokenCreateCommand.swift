public import ArgumentParser
public import Foundation
import FulcrumAPI
import FulcrumSQLite
import FulcrumStore

/// `fulcrum token-create --project P --role member [--expires-in-days N]`: mints an API token, stores only its
/// SHA-256 hash and prints the token once.
public struct TokenCreateCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "token-create",
        abstract: "Create an API token for a project and print it (only its hash is stored).")

    @OptionGroup public var options: RuntimeOptions

    /// The project the token acts for.
    @Option(help: "Project the token acts for.") public var project: String

    /// Roles granted (repeatable).
    @Option(name: .customLong("role"), help: "Role: admin, member or observer (repeatable).")
    public var roles: [String] = ["member"]

    /// Days until the token expires; never when absent.
    @Option(help: "Days until the token expires (default: never).") public var expiresInDays: Int?

    /// Parsed by ArgumentParser.
    public init() {}

    public func validate() throws {
        guard !project.isEmpty, project.count <= 36 else {
            throw ValidationError("--project must be 1 to 36 characters.")
        }
        for role in roles where APIRole(rawValue: role) == nil {
            throw ValidationError("--role must be admin, member or observer, not '\(role)'.")
        }
        if let expiresInDays, expiresInDays < 1 { throw ValidationError("--expires-in-days must be at least 1.") }
    }

    public func run() async throws {
        print(try await create(environment: CommandEnvironment.process))
    }

    /// Stores a new token and returns it.
    public func create(environment: [String: String], now: Date = Date()) async throws -> String {
        let config = try await Daemon.loadConfig(options: options, environment: environment, command: "fulcrum")
        let database = try CommandEnvironment.exitOnFailure { () throws(RuntimeError) in
            try config.database.openCurrent()
        }
        let token = TokenDigest.generate()
        let record = APIToken(
            hash: TokenDigest.hash(token), projectID: project, roles: Set(roles.compactMap(APIRole.init(rawValue:))),
            expiresAt: expiresInDays.map { now.addingTimeInterval(Double($0) * 86_400) }, createdAt: now)
        try await SQLiteStore(database: database).insertToken(record)
        return token
    }
}
