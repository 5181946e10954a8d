#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A command run to completion with `posix_spawn` (the static agent has FoundationEssentials, which has no
/// `Process`). `run` blocks until the child exits: call it on a thread pool, never on an event loop.
enum ChildProcess {
    /// How the child ended.
    struct Outcome: Sendable, Hashable {
        /// Exit status, or 128 + signal number when a signal ended it.
        var status: Int32
        /// stdout and stderr, interleaved, at most ``maxOutput`` bytes.
        var output: String
    }

    static let maxOutput = 16 * 1024

    /// How often a spawn that failed with ETXTBSY is retried, 20 ms apart (a second in all).
    static let busyRetryLimit = 50

    /// Runs `path` with `arguments` (no shell, no PATH search), stdin from /dev/null, and a minimal environment.
    static func run(_ path: String, _ arguments: [String]) throws(AgentError) -> Outcome {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw AgentError(.commandFailed, "\(path): pipe failed, errno \(errno)") }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        defer { close(readEnd) }

        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        // NIO's sockets are not close-on-exec: the child must not hold listeners or the advert socket open
        for fd in inheritedDescriptors() { posix_spawn_file_actions_addclose(&actions, fd) }

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let environment: [String] = ["PATH=/bin:/sbin:/usr/bin:/usr/sbin", "LC_ALL=C"]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        var spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        // ETXTBSY: another process still holds a write descriptor of the program. That happens when a child spawned
        // from another thread inherited the descriptor of a just-written script and has not reached its exec yet
        // (the tests write their stand-in tools while other tests spawn). It passes within milliseconds.
        var busyRetries = 0
        while spawned == ETXTBSY, busyRetries < Self.busyRetryLimit {
            busyRetries += 1
            usleep(20_000)
            spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        }
        close(writeEnd)
        guard spawned == 0 else {
            throw AgentError(.commandFailed, "\(path): posix_spawn failed, error \(spawned)")
        }
        let output = drain(readEnd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw AgentError(.commandFailed, "\(path): waitpid failed, errno \(errno)") }
        }
        let signal = status & 0x7F
        return Outcome(status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal, output: output)
    }

    /// This process's descriptors above stderr, from `/proc/self/fd` (empty without /proc). Closing one that is
    /// gone by the time the child starts is harmless: glibc reports only out-of-range descriptors.
    private static func inheritedDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        let own = dirfd(directory)
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let fd = Int32(name), fd > 2, fd != own { descriptors.append(fd) }
        }
        return descriptors
    }

    /// Reads until end of file, keeping the first ``maxOutput`` bytes.
    private static func drain(_ fd: Int32) -> String {
        var kept: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            kept += buffer.prefix(min(count, max(maxOutput - kept.count, 0)))
        }
        return String(decoding: kept, as: UTF8.self)
    }
}
