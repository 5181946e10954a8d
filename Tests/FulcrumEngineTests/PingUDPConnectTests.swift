import FulcrumEngine
import FulcrumWire
import NIOCore
import NIOPosix
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@Suite("PING and UDP-CONNECT monitors on loopback", .timeLimit(.minutes(1)))
struct PingUDPConnectTests {
    /// A UDP port on 127.0.0.1 with nothing bound to it (bound once, then closed).
    static func closedUDPPort() async throws -> Int {
        let socket = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(socket.localAddress?.port)
        try await socket.close()
        return port
    }

    /// A UDP member that reads and never answers.
    static func silentUDPServer(port: Int = 0) async throws -> any Channel {
        try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: port).get()
    }

    static func start(_ config: AmphoraConfig, ping: PingMethod? = nil) async throws -> Engine {
        var configuration = EngineFixture.health
        configuration.pingMethod = ping
        let engine = Engine(group: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        try await engine.apply(config)
        return engine
    }

    @Test("UDP-CONNECT: a listening UDP member is UP, a closed port is DOWN until something listens there")
    func udpConnect() async throws {
        let silent = try await Self.silentUDPServer()
        let closedPort = try await Self.closedUDPPort()
        let monitor = HealthMonitorConfig(type: .udpConnect, delay: 1, timeout: 4, maxRetries: 1, maxRetriesDown: 1)
        let members = [
            MemberConfig(id: "up", address: "127.0.0.1", port: try #require(silent.localAddress?.port)),
            MemberConfig(id: "closed", address: "127.0.0.1", port: closedPort),
        ]
        let engine = try await Self.start(EngineFixture.config(members: members, monitor: monitor))
        #expect(
            try await EngineFixture.eventually {
                await engine.health().members["p1"] == ["up": "UP", "closed": "DOWN"]
            })
        let late = try await Self.silentUDPServer(port: closedPort)
        #expect(try await EngineFixture.eventually { await engine.health().members["p1"]?["closed"] == "UP" })
        await engine.shutdown()
        try await silent.close()
        try await late.close()
    }

    @Test("PING sends ICMP echoes when the process may (root here): members on 127.0.0.x are UP with no port open")
    func icmpPing() async throws {
        let closed = try await LoopbackTCP.closedPort()
        let monitor = HealthMonitorConfig(type: .ping, delay: 1, timeout: 20, maxRetries: 1, maxRetriesDown: 1)
        let members = ["127.0.0.1", "127.0.0.2", "127.0.0.3"].enumerated().map {
            MemberConfig(id: "m\($0.offset)", address: $0.element, port: closed)
        }
        let engine = try await Self.start(EngineFixture.config(members: members, monitor: monitor))
        let method = engine.pingMethod
        #expect(method == PingMethod.detect())
        if getuid() == 0 { #expect(method != .tcpConnect) }
        // with ICMP the closed TCP port does not matter; with the TCP fallback it makes every member DOWN
        let expected = method == .tcpConnect ? "DOWN" : "UP"
        let settled = try await EngineFixture.eventually {
            let statuses = await engine.health().members["p1"] ?? [:]
            return statuses.count == 3 && statuses.values.allSatisfy { $0 == expected }
        }
        let statuses = await engine.health().members
        #expect(settled, "\(method): \(statuses)")
        await engine.shutdown()
    }

    @Test(
        "PING over ICMPv6: a member on ::1 is UP with no port open",
        .enabled(if: getuid() == 0, "needs an ICMPv6 socket (root here)"))
    func icmpv6Ping() async throws {
        let monitor = HealthMonitorConfig(type: .ping, delay: 1, timeout: 20, maxRetries: 1, maxRetriesDown: 1)
        let engine = try await Self.start(
            EngineFixture.config(members: [MemberConfig(id: "v6", address: "::1", port: 9)], monitor: monitor))
        #expect(engine.pingMethod != .tcpConnect)
        // A member starts UP; after two checks (delay 1 s, one failure takes it DOWN) it is still UP only if the
        // echoes were answered: with the TCP fallback the closed port 9 would have made it DOWN.
        try await Task.sleep(for: .milliseconds(2_500))
        let statuses = await engine.health().members
        #expect(statuses["p1"]?["v6"] == "UP", "\(engine.pingMethod): \(statuses)")
        await engine.shutdown()
    }

    @Test("PING falls back to a TCP connect when no ICMP socket may be opened")
    func tcpFallback() async throws {
        let open = try await TestBackend.start("open")
        let closed = try await LoopbackTCP.closedPort()
        let monitor = HealthMonitorConfig(type: .ping, delay: 1, timeout: 20, maxRetries: 1, maxRetriesDown: 1)
        let members = [
            MemberConfig(id: "open", address: "127.0.0.1", port: open.port),
            MemberConfig(id: "closed", address: "127.0.0.2", port: closed),
        ]
        let engine = try await Self.start(EngineFixture.config(members: members, monitor: monitor), ping: .tcpConnect)
        #expect(engine.pingMethod == .tcpConnect)
        #expect(
            try await EngineFixture.eventually {
                await engine.health().members["p1"] == ["open": "UP", "closed": "DOWN"]
            })
        await engine.shutdown()
        try await open.stop()
    }
}

/// TCP ports with nothing listening.
enum LoopbackTCP {
    /// A port on 127.0.0.x that refuses connections (bound once, then closed; from the reserved test range).
    static func closedPort() async throws -> Int {
        let backend = try await TestBackend.startOnReservedPort("closed")
        let port = backend.port
        try await backend.stop()
        return port
    }
}
