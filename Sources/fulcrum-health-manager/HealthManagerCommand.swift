import ArgumentParser
import FulcrumRuntime

/// `fulcrum-health-manager`: Receive amphora heartbeats and roll up operating status.
@main
struct HealthManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fulcrum-health-manager",
        abstract: "Receive amphora heartbeats and roll up operating status.",
        discussion:
            "Stops gracefully on SIGTERM or SIGINT. Exit status 2: invalid configuration; 1: run `fulcrum db upgrade`."
    )

    @OptionGroup var options: RuntimeOptions

    func run() async throws {
        try await Daemon.main(role: .healthManager, options: options)
    }
}
