import Foundation
import FulcrumModel
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import FulcrumWire
import NIOCore
import NIOPosix
import Testing

/// A real `fulcrum-health-manager` process on loopback, fed datagrams built by the codec.
@Suite(
    "fulcrum-health-manager process",
    .enabled(
        if: BuiltExecutable.exists("fulcrum-health-manager"), "build the executables first: swift build --build-tests")
)
struct HealthManagerProcessTests {
    static let key = "process-test-heartbeat-key"

    /// The port in the first stderr line `<message> … address=127.0.0.1:<port>`.
    func port(after message: String, in log: String) -> Int? {
        for line in log.split(separator: "\n") where line.contains(message) {
            if let range = line.range(of: #"address=127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                return Int(line[range].split(separator: ":").last ?? "")
            }
        }
        return nil
    }

    func metricsText(port: Int) throws -> String {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sS", "--max-time", "5", "http://127.0.0.1:\(port)/metrics"]
        let pipe = Pipe()
        curl.standardOutput = pipe
        try curl.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test("heartbeats change the store; bad ones are counted at /metrics; SIGTERM stops it cleanly")
    func endToEnd() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        try await fixture.store.insertAmphora(
            Amphora(id: "amp-1", loadBalancerID: tree.lb, role: .standalone, status: .allocated))
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write(
            "fulcrum.yaml",
            """
            database:
              path: \(fixture.databasePath)
            health_manager:
              bind_addresses: ["127.0.0.1:0"]
              heartbeat_key: \(Self.key)
              heartbeat_timeout_seconds: 30
              heartbeat_interval_seconds: 1
              flush_interval_ms: 50
              metrics_address: "127.0.0.1:0"
            """)
        let manager = try ChildProcess(
            executable: "fulcrum-health-manager", arguments: ["--config", config], in: directory)
        #expect(
            await manager.waitForStandardError(containing: "serving metrics", within: .seconds(15)),
            "\(manager.standardError)")
        let udpPort = try #require(port(after: "listening for heartbeats", in: manager.standardError))
        let metricsPort = try #require(port(after: "serving metrics", in: manager.standardError))

        let sender = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(
            host: "127.0.0.1", port: 0
        ).get()
        let target = try SocketAddress(ipAddress: "127.0.0.1", port: udpPort)
        func send(_ bytes: [UInt8]) async throws {
            try await sender.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: ByteBuffer(bytes: bytes)))
        }
        let message = HeartbeatMessage(
            id: "amp-1", seq: 1,
            listeners: [
                tree.listener: .init(status: "OPEN", stats: .init(rx: 1_000, tx: 9_000, conns: 3, totconns: 7, ereq: 0))
            ],
            pools: ["\(tree.pool):\(tree.listener)": .init(status: "UP", members: [tree.member: "DOWN"])],
            bootId: "boot")
        let good = try HeartbeatCodec(key: Self.key).seal(message)
        var tampered = good
        tampered[tampered.count - 1] ^= 0x01
        try await send(tampered)
        try await send(try HeartbeatCodec(key: "some-other-key-entirely").seal(message))
        try await send(good)
        try await send(good)  // a replay

        let deadline = ContinuousClock.now + .seconds(15)
        var memberStatus: OperatingStatus?
        repeat {
            try await Task.sleep(for: .milliseconds(50))
            memberStatus = try await fixture.store.resource(ResourceRef(.member, tree.member), projectID: nil)?
                .operatingStatus
        } while memberStatus != .error && ContinuousClock.now < deadline
        #expect(memberStatus == .error)
        #expect(
            try await fixture.store.resource(ResourceRef(.loadBalancer, tree.lb), projectID: nil)?.operatingStatus
                == .degraded)
        #expect(try await fixture.store.loadBalancerStatistics(loadBalancerID: tree.lb).bytesIn == 1_000)

        let metrics = try metricsText(port: metricsPort)
        #expect(metrics.contains(#"fulcrum_heartbeat_rejected_total{reason="bad_signature"} 2"#), "\(metrics)")
        #expect(metrics.contains(#"fulcrum_heartbeat_rejected_total{reason="replayed"} 1"#))
        #expect(metrics.contains("fulcrum_heartbeat_accepted_total 1"))
        #expect(metrics.contains("fulcrum_heartbeat_received_total 4"))

        try await sender.close()
        manager.signal(SIGTERM)
        #expect(await manager.exitStatus(within: .seconds(15)) == 0)
    }
}
