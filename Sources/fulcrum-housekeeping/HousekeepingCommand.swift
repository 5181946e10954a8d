import ArgumentParser
import FulcrumRuntime

/// `fulcrum-housekeeping`: Enqueue rebuilds, keep the spare pool and purge old rows.
@main
struct HousekeepingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fulcrum-housekeeping",
        abstract: "Enqueue rebuilds, keep the spare pool and purge old rows.",
        discussion:
            "Stops gracefully on SIGTERM or SIGINT. Exit status 2: invalid configuration; 1: run `fulcrum db upgrade`."
    )

    @OptionGroup var options: RuntimeOptions

    func run() async throws {
        try await Daemon.main(role: .housekeeping, options: options)
    }
}
