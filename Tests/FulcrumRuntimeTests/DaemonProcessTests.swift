import Foundation
import FulcrumTestSupport
import Testing

/// Runs the built executables as real processes. They are built by `swift build --build-tests` (what `make test`
/// runs); if they are absent the suite is skipped rather than failed.
@Suite(
    "Daemon processes",
    .enabled(if: BuiltExecutable.exists("fulcrum-worker"), "build the executables first: swift build --build-tests")
)
struct DaemonProcessTests {
    @Test("fulcrum-worker starts on a migrated database and exits 0 on SIGTERM")
    func sigterm() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write(
            "fulcrum.yaml",
            "database:\n  path: \(directory.file("db/fulcrum.db"))\namphora:\n  state_dir: \(directory.file("state"))\n"
                + "worker:\n  metrics_address: \"127.0.0.1:0\"\n"
        )

        let upgrade = try ChildProcess(
            executable: "fulcrum", arguments: ["db", "upgrade", "--config", config], in: directory)
        #expect(await upgrade.exitStatus(within: .seconds(10)) == 0)
        #expect(upgrade.standardOutput.contains("schema current"))

        let worker = try ChildProcess(executable: "fulcrum-worker", arguments: ["--config", config], in: directory)
        let started = await worker.waitForStandardError(containing: "worker ready", within: .seconds(10))
        #expect(started, "worker did not log 'worker ready': \(worker.standardError)")
        worker.signal(SIGTERM)
        #expect(await worker.exitStatus(within: .seconds(10)) == 0)
    }

    @Test("fulcrum-worker refuses an un-migrated database: exit 1 and the `fulcrum db upgrade` message")
    func outdatedSchema() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("fulcrum.yaml", "database:\n  path: \(directory.file("fresh.db"))\n")

        let worker = try ChildProcess(executable: "fulcrum-worker", arguments: ["--config", config], in: directory)
        #expect(await worker.exitStatus(within: .seconds(10)) == 1)
        #expect(worker.standardError.contains("fulcrum db upgrade"))
        #expect(!worker.standardError.contains("worker ready"))
    }

    @Test("fulcrum-worker rejects a bad configuration: exit 2 naming the key, nothing started")
    func badConfig() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = directory.file("never.db")
        let config = try directory.write("fulcrum.yaml", "database:\n  path: \(database)\napi:\n  port: 99999\n")

        let worker = try ChildProcess(executable: "fulcrum-worker", arguments: ["--config", config], in: directory)
        #expect(await worker.exitStatus(within: .seconds(10)) == 2)
        #expect(worker.standardError.contains("api.port: 99999 is not a port"))
        #expect(!FileManager.default.fileExists(atPath: database))
    }

    @Test("an environment variable override is named in the error")
    func badEnvironment() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("fulcrum.yaml", "database:\n  path: \(directory.file("never.db"))\n")

        let worker = try ChildProcess(
            executable: "fulcrum-worker", arguments: ["--config", config], in: directory,
            environment: ["FULCRUM_QUEUE_LEASE_SECONDS": "-3"])
        #expect(await worker.exitStatus(within: .seconds(10)) == 2)
        #expect(worker.standardError.contains("queue.lease_seconds"))
        #expect(worker.standardError.contains("FULCRUM_QUEUE_LEASE_SECONDS"))
    }

    @Test("fulcrum-health-manager without a heartbeat key exits 2 naming health_manager.heartbeat_key")
    func healthManagerNeedsKey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("fulcrum.yaml", "database:\n  path: \(directory.file("never.db"))\n")

        let manager = try ChildProcess(
            executable: "fulcrum-health-manager", arguments: ["--config", config], in: directory)
        #expect(await manager.exitStatus(within: .seconds(10)) == 2)
        #expect(manager.standardError.contains("health_manager.heartbeat_key"))
    }

    @Test("`fulcrum db status` exits 1 while migrations are pending; `config show` never prints a secret")
    func fulcrumCLI() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("fulcrum.yaml", "database:\n  path: \(directory.file("cli.db"))\n")

        let status = try ChildProcess(
            executable: "fulcrum", arguments: ["db", "status", "--config", config], in: directory)
        #expect(await status.exitStatus(within: .seconds(10)) == 1)
        #expect(status.standardOutput.contains("fulcrum db upgrade"))

        let show = try ChildProcess(
            executable: "fulcrum", arguments: ["config", "show", "--config", config], in: directory,
            environment: ["FULCRUM_AUTH_ADMIN_TOKEN": "very-secret-admin-token"])
        #expect(await show.exitStatus(within: .seconds(10)) == 0)
        #expect(show.standardOutput.contains("admin_token"))
        #expect(!show.standardOutput.contains("very-secret-admin-token"))
    }
}

/// Where `swift build` put the package's executables.
enum BuiltExecutable {
    static func path(_ name: String) -> String { packageRoot() + "/.build/debug/" + name }
    static func exists(_ name: String) -> Bool { FileManager.default.isExecutableFile(atPath: path(name)) }
}

/// A child process whose output goes to files in a temporary directory.
final class ChildProcess: Sendable {
    private let process: Process
    private let outputPath: String
    private let errorPath: String

    init(
        executable: String, arguments: [String], in directory: TemporaryDirectory, environment: [String: String] = [:]
    )
        throws
    {
        let id = UUID().uuidString
        outputPath = try directory.write("\(executable)-\(id).out", "")
        errorPath = try directory.write("\(executable)-\(id).err", "")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltExecutable.path(executable))
        process.arguments = arguments
        // The child sees none of the test runner's FULCRUM_* settings, only the ones given.
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("FULCRUM_") }
            .merging(environment) { $1 }
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try InheritedDescriptors.spawning { try process.run() }
        self.process = process
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    var standardOutput: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The exit status, or `nil` if the process is still running after `timeout` (it is then killed) or died
    /// from a signal. Polls: there is no other process to wait on, and no timing is asserted.
    func exitStatus(within timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationReason == .exit ? process.terminationStatus : nil
    }

    /// Whether stderr shows `text` before `timeout` passes (or the process exits).
    func waitForStandardError(containing text: String, within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if standardError.contains(text) { return true }
            if !process.isRunning { return standardError.contains(text) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
