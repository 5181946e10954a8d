import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Runs a short-lived tool (`ip`, `ss`, `timedatectl`) for doctor's probes: posix_spawn with stdout and stderr on
/// one pipe, read to the end, then a blocking `waitpid`, all on the NIO thread pool, never on the cooperative pool.
/// Bounded by `timeout(1)`.
enum Subprocess {
    struct Result: Sendable, Hashable {
        /// The exit status; 124 = timed out, 127 = not found, 126 = not executable (as `timeout` reports them).
        var status: Int32
        /// stdout and stderr, interleaved.
        var output: String

        /// The output on one line (lines joined with "; "), for messages.
        var summary: String {
            let lines = output.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
            return lines.isEmpty ? "exit status \(status)" : lines.joined(separator: "; ")
        }
    }

    static func run(_ arguments: [String], timeoutSeconds: Int = 10) async -> Result {
        let argv = ["timeout", "-k", "1", "\(timeoutSeconds)"] + arguments
        do {
            return try await NIOThreadPool.singleton.runIfActive { spawn(argv) }
        } catch {
            return Result(status: -1, output: "\(error)")
        }
    }

    private static func spawn(_ argv: [String]) -> Result {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return Result(status: -1, output: "pipe failed: errno \(errno)") }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // dup2 clears close-on-exec on the copies, so only stdout and stderr reach the child.
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, argv[0], &actions, nil, &cArguments, environ)
        close(writeEnd)
        defer { close(readEnd) }
        guard spawned == 0 else { return Result(status: 127, output: "cannot run \(argv[0]): errno \(spawned)") }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += buffer[0..<count]
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let exited = (status & 0x7f) == 0
        return Result(
            status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f),
            output: String(decoding: bytes, as: UTF8.self))
    }
}
