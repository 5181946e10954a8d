import Foundation
import FulcrumAgent
import FulcrumTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("VIP owner advert socket", .timeLimit(.minutes(1)))
struct VIPOwnerSocketTests {
    @Test("the owner's socket is close-on-exec: a child spawned while it runs does not keep it, a restart binds again")
    func notInherited() async throws {
        let port = try await OwnerRunner.freePort(on: ["127.0.0.20"])
        let node = VRRPNode(address: "127.0.0.20", peer: "127.0.0.21", priority: 90, port: port)
        let first = try node.owner()
        let child = try await withThrowingDiscardingTaskGroup(returning: pid_t.self) { group in
            let crash = OwnerRunner.start(first, of: node, in: &group)
            defer { crash.finish() }
            let started = try await OwnerRunner.eventually { first.status.state == .backup }
            #expect(started)
            let socket = try #require(Self.udpDescriptor(address: [127, 0, 0, 20], port: port))
            #expect(fcntl(socket, F_GETFD) & FD_CLOEXEC != 0)
            // A child that keeps the owner's descriptor unless it is close-on-exec, and outlives the owner. Every
            // other descriptor is closed in the child: it must not hold the sockets of tests running alongside (a
            // child inheriting everything kept other tests' listeners and connections open for its 30 s).
            let words: [String] = ["/bin/sleep", "30"]
            let argv = words.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var child = pid_t()
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            let spawned = InheritedDescriptors.spawning(closeOnExec: false) {
                for fd in InheritedDescriptors.openDescriptors() where fd > 2 && fd != socket {
                    posix_spawn_file_actions_addclose(&actions, fd)
                }
                return posix_spawn(&child, "/bin/sleep", &actions, nil, argv, nil)
            }
            #expect(spawned == 0)
            await first.stop()
            return child
        }
        defer {
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
        }
        let second = try node.owner()
        try await withThrowingDiscardingTaskGroup { group in
            let crash = OwnerRunner.start(second, of: node, in: &group)
            defer { crash.finish() }
            let restarted = try await OwnerRunner.eventually {
                second.status.state == .backup || !node.runErrors.withLock { $0 }.isEmpty
            }
            #expect(restarted)
            #expect(node.runErrors.withLock { $0 }.isEmpty)
        }
    }

    /// The descriptor of this process's UDP socket bound to `address`:`port`: its inode from /proc/net/udp, then
    /// the descriptor whose link names that inode.
    static func udpDescriptor(address: [UInt8], port: Int) -> Int32? {
        // /proc/net/udp prints the address as the host-order hex of the network-order word (little-endian here)
        let local = address.reversed().map { hex($0, width: 2) }.joined() + ":" + hex(port, width: 4)
        guard let table = try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8),
            let row = table.split(separator: "\n").map({ $0.split(separator: " ") }).first(where: {
                $0.count > 9 && $0[1] == local
            })
        else { return nil }
        let target = "socket:[\(row[9])]"
        return InheritedDescriptors.openDescriptors().first { fd in
            var buffer = [CChar](repeating: 0, count: 64)
            let count = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
            return count > 0 && String(cString: buffer) == target
        }
    }

    static func hex(_ value: some BinaryInteger, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
