import ArgumentParser
import FulcrumRuntime

/// `fulcrum-worker`: Claim queued tasks and run their flows.
@main
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fulcrum-worker",
        abstract: "Claim queued tasks and run their flows.",
        discussion:
            "Stops gracefully on SIGTERM or SIGINT. Exit status 2: invalid configuration; 1: run `fulcrum db upgrade`."
    )

    @OptionGroup var options: RuntimeOptions

    func run() async throws {
        try await Daemon.main(role: .worker, options: options)
    }
}
