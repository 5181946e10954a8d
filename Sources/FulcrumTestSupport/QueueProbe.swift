public import Foundation
import FulcrumModel
public import FulcrumQueue
import FulcrumSQLite

/// Drives the SQLite queue from real OS processes for the multi-process tests and
/// `make bench-queue`: seed tasks, drain them, or claim some and hang (to be `kill -9`-ed).
public enum QueueProbe {
    /// Migrates the database at `path` and enqueues `count` tasks; returns the seconds it took.
    public static func seed(path: String, count: Int) async throws -> Double {
        let database = try FulcrumDatabase.open(path: path)
        try database.migrate()
        let queue = SQLiteTaskQueue(database: database)
        let start = ContinuousClock.now
        for index in 0..<count {
            _ = try await queue.enqueue(TaskRequest(kind: "probe", payload: "{\"n\":\(index)}"))
        }
        return (ContinuousClock.now - start).timeInterval
    }

    /// Claims and completes tasks until none is left in the queue (waiting out others' leases);
    /// returns how many this process completed.
    public static func drain(path: String, owner: String, lease: Duration, work: Duration) async throws -> Int {
        let queue = SQLiteTaskQueue(
            database: try FulcrumDatabase.open(path: path), configuration: QueueConfiguration(leaseDuration: lease))
        var completed = 0
        while true {
            if let claimed = try await queue.claim(owner: owner) {
                if work > .zero { try await Task.sleep(for: work) }
                try await queue.complete(claimed.lease, changes: [])
                completed += 1
                continue
            }
            let counts = try await queue.counts()
            if (counts[.queued] ?? 0) + (counts[.running] ?? 0) + (counts[.failed] ?? 0) == 0 { return completed }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Claims `count` tasks, prints `holding <ids>` and sleeps until killed.
    public static func hold(path: String, owner: String, count: Int, lease: Duration) async throws -> Never {
        let queue = SQLiteTaskQueue(
            database: try FulcrumDatabase.open(path: path), configuration: QueueConfiguration(leaseDuration: lease))
        var held: [Int64] = []
        while held.count < count, let claimed = try await queue.claim(owner: owner) {
            held.append(claimed.task.id)
        }
        FileHandle.standardOutput.write(Data("holding \(held.map(String.init).joined(separator: ","))\n".utf8))
        while true { try await Task.sleep(for: .seconds(3600)) }
    }

    /// Runs the throughput benchmark: for each process count, a fresh database with `tasks`
    /// tasks, drained by that many child processes of `executable`; prints one line per run.
    public static func bench(
        executable: String, tasks: Int, processCounts: [Int], directory: String
    ) async throws -> [String] {
        var lines: [String] = []
        for processes in processCounts {
            let path = directory + "/bench-\(processes).db"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            let enqueueSeconds = try await seed(path: path, count: tasks)
            let start = ContinuousClock.now
            let children = try (0..<processes).map { index -> Process in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = ["drain", "--db", path, "--owner", "bench-\(index)"]
                process.standardOutput = FileHandle.nullDevice
                try InheritedDescriptors.spawning { try process.run() }
                return process
            }
            for child in children { child.waitUntilExit() }
            let drainSeconds = (ContinuousClock.now - start).timeInterval
            let failed = children.filter { $0.terminationStatus != 0 }.count
            let queue = SQLiteTaskQueue(database: try FulcrumDatabase.open(path: path))
            let done = try await queue.counts()[.done] ?? 0
            lines.append(
                String(
                    format: "processes=%d tasks=%d enqueue=%.0f/s claim+complete=%.0f/s done=%d failed_processes=%d",
                    processes, tasks, Double(tasks) / enqueueSeconds, Double(done) / drainSeconds, done, failed))
        }
        return lines
    }
}
