import ArgumentParser
import Foundation
import FulcrumTestSupport

/// Test and benchmark helper: real OS processes sharing one SQLite queue.
@main
struct QueueProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fulcrum-queue-probe",
        abstract: "Drive the SQLite task queue from several processes (tests, make bench-queue).",
        subcommands: [Seed.self, Drain.self, Hold.self, Bench.self, CompleteAll.self])

    struct Seed: AsyncParsableCommand {
        @Option var db: String
        @Option var count: Int
        func run() async throws { _ = try await QueueProbe.seed(path: db, count: count) }
    }

    struct Drain: AsyncParsableCommand {
        @Option var db: String
        @Option var owner: String
        @Option(help: "Lease in milliseconds.") var leaseMs = 30_000
        @Option(help: "Simulated work per task in milliseconds.") var workMs = 0
        func run() async throws {
            let done = try await QueueProbe.drain(
                path: db, owner: owner, lease: .milliseconds(leaseMs), work: .milliseconds(workMs))
            print("completed \(done)")
        }
    }

    struct Hold: AsyncParsableCommand {
        @Option var db: String
        @Option var owner: String
        @Option var count: Int
        @Option(help: "Lease in milliseconds.") var leaseMs = 2_000
        func run() async throws {
            try await QueueProbe.hold(path: db, owner: owner, count: count, lease: .milliseconds(leaseMs))
        }
    }

    /// Test-only stand-in worker: completes every queued task with its success writes.
    struct CompleteAll: AsyncParsableCommand {
        @Option var db: String
        func run() async throws { print("completed \(try await QueueProbe.completeAll(path: db))") }
    }

    struct Bench: AsyncParsableCommand {
        @Option var tasks = 5_000
        @Option(parsing: .upToNextOption) var processes: [Int] = [1, 4]
        func run() async throws {
            let directory = NSTemporaryDirectory() + "fulcrum-bench-\(getpid())"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
            for line in try await QueueProbe.bench(
                executable: executable, tasks: tasks, processCounts: processes, directory: directory)
            {
                print(line)
            }
        }
    }
}
