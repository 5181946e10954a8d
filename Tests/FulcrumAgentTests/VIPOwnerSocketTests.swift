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
    @Test("a child spawned while the owner runs does not inherit its socket, so a restarted owner binds again")
    func notInherited() async throws {
        let port = try await OwnerRunner.freePort(on: ["127.0.0.20"])
        let node = VRRPNode(address: "127.0.0.20", peer: "127.0.0.21", priority: 90, port: port)
        let first = try node.owner()
        let child = try await withThrowingDiscardingTaskGroup(returning: pid_t.self) { group in
            let crash = OwnerRunner.start(first, of: node, in: &group)
            defer { crash.finish() }
            let started = try await OwnerRunner.eventually { first.status.state == .backup }
            #expect(started)
            // a child that inherits every descriptor not marked close-on-exec, and outlives the owner
            let words: [String] = ["/bin/sleep", "30"]
            let argv = words.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var child = pid_t()
            let spawned = InheritedDescriptors.spawning(closeOnExec: false) {
                posix_spawn(&child, "/bin/sleep", nil, nil, argv, nil)
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
}
