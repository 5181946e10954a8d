import Foundation
import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumTestSupport
import Testing

/// Real OS processes (`fulcrum-queue-probe`) sharing one SQLite queue file.
@Suite("Task queue across processes", .serialized)
struct MultiProcessQueueTests {
    static let probe = BuildProducts.executable("fulcrum-queue-probe")
    static let taskCount = 2_000

    func start(_ arguments: [String], output: FileHandle? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(
            fileURLWithPath: try #require(Self.probe, "build fulcrum-queue-probe first (make test does)"))
        process.arguments = arguments
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = FileHandle.standardError
        try InheritedDescriptors.spawning { try process.run() }
        return process
    }

    /// Waits for a process to exit, at most `limit`; kills it (by PID) past that.
    func wait(_ process: Process, limit: Duration = .seconds(120)) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                Issue.record("process \(process.processIdentifier) timed out")
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return process.terminationStatus
    }

    /// Completion events per task, from the log written in each completing transaction.
    func completions(_ queue: SQLiteTaskQueue) async throws -> [Int64: [TaskEvent]] {
        Dictionary(grouping: try await queue.history().filter { $0.event == "completed" }, by: \.taskID)
    }

    @Test(
        "four claimer processes drain 2,000 tasks, each completed exactly once",
        .enabled(if: probe != nil, "fulcrum-queue-probe is not built"))
    func fourProcessesDrain() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/queue.db"
        _ = try await QueueProbe.seed(path: path, count: Self.taskCount)
        let claimers = try (0..<4).map { try start(["drain", "--db", path, "--owner", "claimer-\($0)"]) }
        for claimer in claimers { #expect(try await wait(claimer) == 0) }
        let queue = SQLiteTaskQueue(database: try FulcrumDatabase.open(path: path))
        #expect(try await queue.counts() == [.done: Self.taskCount])
        let done = try await completions(queue)
        #expect(done.count == Self.taskCount)
        #expect(done.values.allSatisfy { $0.count == 1 })
        let owners = Set(done.values.compactMap { $0.first?.owner })
        #expect(owners.count > 1, "the work was shared between processes: \(owners)")
    }

    @Test(
        "a claimer killed with SIGKILL while holding tasks loses nothing; its tasks re-run only after the lease expired",
        .enabled(if: probe != nil, "fulcrum-queue-probe is not built"))
    func killedClaimer() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/queue.db"
        _ = try await QueueProbe.seed(path: path, count: Self.taskCount)
        // stdout to a file, polled: a blocking pipe read would hold a thread of the shared cooperative pool
        let outputPath = directory.path + "/victim.out"
        let output = try #require(
            FileManager.default.createFile(atPath: outputPath, contents: nil)
                ? FileHandle(forWritingAtPath: outputPath) : nil)
        let victim = try start(
            ["hold", "--db", path, "--owner", "victim", "--count", "5", "--lease-ms", "2000"], output: output)
        var line = ""
        let deadline = ContinuousClock.now + .seconds(60)
        while !line.hasSuffix("\n"), victim.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            line = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        }
        #expect(line.hasPrefix("holding "), "victim said: \(line)")
        let held = Set(
            line.dropFirst("holding ".count).trimmingCharacters(in: .whitespacesAndNewlines)
                .split(separator: ",").compactMap { Int64($0) })
        #expect(held.count == 5)
        let claimers = try (0..<4).map { try start(["drain", "--db", path, "--owner", "claimer-\($0)"]) }
        try await Task.sleep(for: .milliseconds(300))
        kill(victim.processIdentifier, SIGKILL)
        _ = try await wait(victim)
        #expect(victim.terminationReason == .uncaughtSignal)
        for claimer in claimers { #expect(try await wait(claimer) == 0) }

        let queue = SQLiteTaskQueue(database: try FulcrumDatabase.open(path: path))
        #expect(try await queue.counts() == [.done: Self.taskCount], "no task lost")
        let done = try await completions(queue)
        #expect(done.count == Self.taskCount)
        #expect(done.values.allSatisfy { $0.count == 1 }, "none completed twice")
        for id in held {
            let events = try await queue.history(taskID: id)
            let claims = events.filter { $0.event == "claimed" }
            #expect(claims.count == 2, "task \(id): \(claims)")
            guard claims.count == 2, let expiry = claims[0].leaseExpiresAt else { continue }
            #expect(claims[0].owner == "victim")
            #expect(claims[1].owner != "victim")
            #expect(claims[1].at >= expiry, "task \(id) re-ran before the victim's lease expired")
            #expect(events.contains { $0.event == "lease_expired" })
            #expect(done[id]?.first?.owner != "victim")
        }
    }
}
