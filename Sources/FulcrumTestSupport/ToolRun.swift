import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs a short-lived tool (curl, openssl, sh) from async test code without blocking a thread of the shared
/// cooperative pool: the output goes to a temporary file and the exit is polled with `Task.sleep`.
/// `Process.waitUntilExit()` and a `Pipe` read to the end both block the calling thread; with both pool threads of
/// a 2-core machine blocked that way, no other test (nor the one that would stop a daemon) runs any more.
public enum ToolRun {
    public struct Result: Sendable {
        /// The exit status, `nil` when the tool died from a signal or was killed at the deadline.
        public var status: Int32?
        /// Everything the tool wrote to stdout.
        public var output: String
    }

    /// Runs `executable` with `arguments` (stdin empty, stderr discarded unless `keepStandardError`), waits at
    /// most `timeout` and kills it by PID past that.
    public static func run(
        _ executable: String, _ arguments: [String], timeout: Duration = .seconds(60),
        keepStandardError: Bool = false
    ) async throws -> Result {
        var template = Array("/tmp/fulcrum-tool-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        // (an inherited file, unlike a pipe, makes nobody wait; this only keeps other children tidy)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let path = String(cString: template)
        let file = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        defer { unlink(path) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = file
        process.standardError = keepStandardError ? file : FileHandle.nullDevice
        try InheritedDescriptors.spawning { try process.run() }

        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            let grace = ContinuousClock.now + .seconds(5)
            while process.isRunning, ContinuousClock.now < grace { try? await Task.sleep(for: .milliseconds(10)) }
        }
        guard !process.isRunning else { return Result(status: nil, output: "") }
        let output = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let status = process.terminationReason == .exit ? process.terminationStatus : nil
        return Result(status: status, output: output)
    }
}
