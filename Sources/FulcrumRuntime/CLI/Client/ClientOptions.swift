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
    /// Any encodable value as JSON; an API body with every attribute it declares, `null` when unset, as the API
    /// sends it (so a table shows `updated_at | None` rather than leaving the row out).
    static func of(_ value: some Encodable) throws -> JSONValue {
        if let body = value as? any APIBody { return try JSONValue(encoding: body) }
        return try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(value))
    }
}

/// An API verb: computes its output text, which `run()` prints; failures become a message and exit 1.
package protocol ClientVerb: AsyncParsableCommand {
    var client: ClientOptions { get }
    func output(_ api: FulcrumClient) async throws -> String
}

/// Everything a verb prints: standard output, standard error and the exit status, byte for byte.
package struct VerbTranscript: Sendable, Equatable {
    /// What goes to stdout (ends with a newline unless empty).
    package var standardOutput = ""
    /// What goes to stderr (ends with a newline unless empty).
    package var standardError = ""
    /// The exit status.
    package var status: Int32 = 0
}

extension ClientVerb {
    /// The text this verb prints, against the API named by the options and `environment`.
    package func output(environment: [String: String]) async throws -> String {
        try await output(client.client(environment: environment))
    }

    /// What `run()` prints and its exit status: the output, or `fulcrum: <status>: <faultstring>` and exit 1 when
    /// the API refused the call or could not be reached.
    package func transcript(environment: [String: String]) async throws -> VerbTranscript {
        do {
            let text = try await output(environment: environment)
            return VerbTranscript(standardOutput: text.isEmpty ? "" : text + "\n")
        } catch let error as FulcrumClientError {
            return VerbTranscript(standardError: "fulcrum: \(error)\n", status: 1)
        }
    }

    public func run() async throws {
        let result = try await transcript(environment: CommandEnvironment.process)
        print(result.standardOutput, terminator: "")
        FileHandle.standardError.write(Data(result.standardError.utf8))
        if result.status != 0 { throw ExitCode(result.status) }
    }
}
