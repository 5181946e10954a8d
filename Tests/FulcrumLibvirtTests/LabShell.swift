import Foundation
import FulcrumTestSupport
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Runs the lab's shell tools for the VM tier. Every command is bounded by `timeout(1)` and runs on the NIO
/// thread pool (Process waits block), never on the cooperative pool.
enum LabShell {
    struct Result: Sendable {
        var status: Int32
        var output: String
    }

    static let isRoot = getuid() == 0

    /// The package root, from this file's path (Tests/FulcrumLibvirtTests/<file>).
    static let packageRoot: String = {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)
        return components.joined(separator: "/")
    }()

    static var labScript: String { packageRoot + "/etc/lab" }

    /// Runs `arguments` (argv[0] looked up in PATH) with stdout+stderr captured, killed after `seconds`.
    /// posix_spawn + a blocking waitpid on the thread pool: Foundation's Process did not reap a child whose
    /// grandchildren daemonise (libvirtd -d), so the lab tests avoid it.
    static func run(_ arguments: [String], seconds: Int = 60) async throws -> Result {
        try await NIOThreadPool.singleton.runIfActive {
            let output = "/tmp/fulcrum-lab-test-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).out"
            defer { unlink(output) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            // etc/lab starts libvirtd and virtlogd, which outlive the call: they must not keep test sockets or files
            InheritedDescriptors.closeFrom3(&actions)
            let argv = ["/usr/bin/timeout", "-k", "5", "\(seconds)"] + arguments
            var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
            defer { for pointer in cArguments { free(pointer) } }
            var pid: pid_t = 0
            let spawned = InheritedDescriptors.spawning {
                posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
            }
            guard spawned == 0 else { return Result(status: -1, output: "posix_spawn failed: \(spawned)") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            let exited = (status & 0x7f) == 0
            return Result(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output: text)
        }
    }

    /// `etc/lab ARGS…`.
    static func lab(_ arguments: String..., seconds: Int = 90) async throws -> Result {
        try await run([labScript] + arguments, seconds: seconds)
    }

    /// A command inside the `fulcrum-lab` namespace.
    static func inLab(_ arguments: [String], seconds: Int = 30) async throws -> Result {
        try await run(["ip", "netns", "exec", "fulcrum-lab"] + arguments, seconds: seconds)
    }
}
