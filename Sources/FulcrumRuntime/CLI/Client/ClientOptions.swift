public import ArgumentParser
import Foundation
import FulcrumAPITypes
package import FulcrumClient

/// Shared flags of the API verbs: where the API is, the token, and the output format.
public struct ClientOptions: ParsableArguments, Sendable {
    /// Output formats.
    public enum Format: String, ExpressibleByArgument, Sendable {
        case table, json
    }

    /// `--url`, else `$FULCRUM_URL`, else `http://127.0.0.1:9876`.
    @Option(help: "API URL (default: $FULCRUM_URL, else http://127.0.0.1:9876).") public var url: String?
    /// `--token`, else `$FULCRUM_TOKEN`.
    @Option(help: "API token (default: $FULCRUM_TOKEN).") public var token: String?
    /// `-f table|json`.
    @Option(name: [.customShort("f"), .long], help: "Output format: table or json.") public var format: Format = .table

    /// No flags set.
    public init() {}

    /// The client these options describe.
    func client(environment: [String: String]) -> FulcrumClient {
        FulcrumClient(
            baseURL: url ?? environment["FULCRUM_URL"] ?? "http://127.0.0.1:9876",
            token: token ?? environment["FULCRUM_TOKEN"])
    }

    /// One object as a `Field | Value` table or JSON.
    func render(_ value: some Encodable) throws -> String {
        let json = try JSONValue.of(value)
        return format == .json ? String(decoding: try json.encoded(), as: UTF8.self) : TableRenderer.table(json)
    }

    /// A list as a table with `columns`, or JSON.
    func render(list values: [some Encodable], columns: [String]) throws -> String {
        let json = try values.map { try JSONValue.of($0) }
        if format == .json { return String(decoding: try JSONValue.array(json).encoded(), as: UTF8.self) }
        return TableRenderer.list(json, columns: columns)
    }
}

extension JSONValue {
    /// Any encodable value as JSON.
    static func of(_ value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(value))
    }
}

/// An API verb: computes its output text, which `run()` prints; failures become a message and exit 1.
package protocol ClientVerb: AsyncParsableCommand {
    var client: ClientOptions { get }
    func output(_ api: FulcrumClient) async throws -> String
}

extension ClientVerb {
    /// The text this verb prints, against the API named by the options and `environment`.
    package func output(environment: [String: String]) async throws -> String {
        try await output(client.client(environment: environment))
    }

    public func run() async throws {
        do {
            let text = try await output(environment: CommandEnvironment.process)
            if !text.isEmpty { print(text) }
        } catch let error as FulcrumClientError {
            StandardError.write("fulcrum: \(error)")
            throw ExitCode(1)
        }
    }
}
