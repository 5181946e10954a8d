import ArgumentParser
import FulcrumRuntime

/// `fulcrum-api`: Serve Fulcrum's Octavia v2 REST API.
@main
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fulcrum-api",
        abstract: "Serve Fulcrum's Octavia v2 REST API.",
        discussion:
            "Stops gracefully on SIGTERM or SIGINT. Exit status 2: invalid configuration; 1: run `fulcrum db upgrade`."
    )

    @OptionGroup var options: RuntimeOptions

    func run() async throws {
        try await Daemon.main(role: .api, options: options)
    }
}
