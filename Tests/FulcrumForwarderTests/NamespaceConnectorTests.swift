import Foundation
import FulcrumForwarder
import FulcrumModel
import NIOCore
import NIOPosix
import Testing

@Suite("Namespace upstream connector")
struct NamespaceConnectorTests {
    static func withPool(_ body: (NIOThreadPool) async throws -> Void) async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        do {
            try await body(pool)
        } catch {
            try await pool.shutdownGracefully()
            throw error
        }
        try await pool.shutdownGracefully()
    }

    @Test("a namespace path that does not exist is a clear error, on check and on connect, and no crash")
    func missingNamespace() async throws {
        try await Self.withPool { pool in
            let connector = try NamespaceUpstreamConnector(
                namespacePath: "/run/netns/fulcrum-no-such-namespace", threadPool: pool)
            let checked = #expect(throws: ForwarderError.self) { try connector.checkNamespace() }
            #expect(checked?.code == .namespaceUnavailable)
            #expect(
                checked?.message
                    == "cannot open network namespace /run/netns/fulcrum-no-such-namespace: No such file or directory")
            let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
            let refused = await #expect(throws: ForwarderError.self) {
                try await connector.connect(to: IPv4Address("127.0.0.1")!, port: 80, on: eventLoop)
            }
            #expect(refused?.code == .namespaceUnavailable)
            #expect(refused?.errno == ENOENT)
        }
    }

    @Test("a path that is not a namespace cannot be entered", .enabled(if: getuid() == 0, "setns needs root"))
    func notANamespace() async throws {
        try await Self.withPool { pool in
            let connector = try NamespaceUpstreamConnector(namespacePath: "/proc/self/status", threadPool: pool)
            let refused = await #expect(throws: ForwarderError.self) {
                try await connector.connect(
                    to: IPv4Address("127.0.0.1")!, port: 80, on: MultiThreadedEventLoopGroup.singleton.next())
            }
            #expect(refused?.code == .namespaceUnavailable)
            #expect(refused?.message.contains("cannot enter network namespace /proc/self/status") == true)
        }
    }

    @Test(
        "setns into a namespace (the process's own), socket, setns back, connect: bytes flow",
        .enabled(if: getuid() == 0, "setns needs CAP_SYS_ADMIN"))
    func ownNamespace() async throws {
        let backend = try await AnsweringBackend.start("ns")
        let dead = try await freePort()
        try await Self.withPool { pool in
            let connector = try NamespaceUpstreamConnector(
                namespacePath: "/proc/self/ns/net", connectTimeout: .seconds(2), threadPool: pool)
            try connector.checkNamespace()
            let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
            let upstream = try await connector.connect(to: IPv4Address("127.0.0.1")!, port: backend.port, on: eventLoop)
            #expect(upstream.isActive)
            try await upstream.close()
            let refused = await #expect(throws: ForwarderError.self) {
                try await connector.connect(to: IPv4Address("127.0.0.1")!, port: dead, on: eventLoop)
            }
            #expect(refused?.code == .connectFailed)
            #expect(refused?.errno == ECONNREFUSED)
        }
        try await backend.stop()
    }
}
