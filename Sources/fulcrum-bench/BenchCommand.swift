import ArgumentParser
import Foundation
import FulcrumTestSupport

/// Benchmarks that need a running Fulcrum process (`make bench-health`).
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fulcrum-bench", abstract: "Control-plane benchmarks.", subcommands: [Health.self])

    struct Health: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seed a database, or drive a running fulcrum-health-manager with rising heartbeat rates.")
        @Option var db: String
        @Option var amphorae = 500
        @Flag(help: "Only seed the database and exit.") var seedOnly = false
        @Option var key = "bench-heartbeat-key-0123456789"
        @Option var udpPort = 0
        @Option var metricsPort = 0
        @Option(parsing: .upToNextOption) var rates: [Int] = [2_000, 5_000, 10_000, 15_000, 20_000]
        @Option var stepSeconds = 5

        func run() async throws {
            if seedOnly {
                try await HealthBench.seed(databasePath: db, amphorae: amphorae)
                return
            }
            let steps = try await HealthBench.run(
                key: key, udpPort: udpPort, metricsPort: metricsPort, fleet: HealthBench.fleet(amphorae), rates: rates,
                stepSeconds: stepSeconds)
            for step in steps { print(step) }
        }
    }
}
