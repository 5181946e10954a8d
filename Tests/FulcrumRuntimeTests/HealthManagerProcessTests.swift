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

    func metricsText(port: Int) async throws -> String {
        try await ToolRun.run(
            "/usr/bin/curl", ["-sS", "--max-time", "5", "http://127.0.0.1:\(port)/metrics"], timeout: .seconds(10)
        ).output
    }

    struct RollupCase: Sendable, CustomStringConvertible {
        var name: String
        var listener: String?
        var pool: String?
        var member: String?
        var expected: (lb: OperatingStatus, listener: OperatingStatus, pool: OperatingStatus, member: OperatingStatus)
        var description: String { name }
    }

    /// Reference §3's roll-up rules, in an order where each case's outcome does not depend on the one before.
    static let rollupCases: [RollupCase] = [
        .init(
            name: "all up", listener: "OPEN", pool: "UP", member: "UP", expected: (.online, .online, .online, .online)),
        .init(
            name: "listener FULL", listener: "FULL", pool: "UP", member: "UP",
            expected: (.degraded, .degraded, .online, .online)),
        .init(
            name: "member DOWN", listener: "OPEN", pool: "UP", member: "DOWN",
            expected: (.degraded, .online, .degraded, .error)),
        .init(
            name: "member DOWN 1/3", listener: "OPEN", pool: "UP", member: "DOWN 1/3",
            expected: (.degraded, .online, .degraded, .error)),
        .init(
            name: "member DRAIN", listener: "OPEN", pool: "UP", member: "DRAIN",
            expected: (.online, .online, .online, .draining)),
        .init(
            name: "member MAINT", listener: "OPEN", pool: "UP", member: "MAINT",
            expected: (.online, .online, .online, .offline)),
        .init(
            name: "member no check", listener: "OPEN", pool: "UP", member: "no check",
            expected: (.online, .online, .online, .noMonitor)),
        .init(
            name: "member RESTARTING keeps NO_MONITOR", listener: "OPEN", pool: "UP", member: "RESTARTING",
            expected: (.online, .online, .online, .noMonitor)),
        .init(
            name: "member not reported, was NO_MONITOR", listener: "OPEN", pool: "UP", member: nil,
            expected: (.online, .online, .online, .noMonitor)),
        .init(
            name: "member UP again", listener: "OPEN", pool: "UP", member: "UP",
            expected: (.online, .online, .online, .online)),
        .init(
            name: "member not reported", listener: "OPEN", pool: "UP", member: nil,
            expected: (.online, .online, .online, .offline)),
        .init(
            name: "pool DOWN", listener: "OPEN", pool: "DOWN", member: "DOWN",
            expected: (.error, .online, .error, .error)),
        .init(
            name: "listener and pool missing", listener: nil, pool: nil, member: nil,
            expected: (.online, .error, .offline, .error)),
    ]

    @Test("a real fulcrum-health-manager applies every roll-up rule and sums a pair's statistics")
    func rollupRules() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        for id in ["amp-1", "amp-2"] {
            try await fixture.store.insertAmphora(
                Amphora(id: id, loadBalancerID: tree.lb, role: id == "amp-1" ? .master : .backup, status: .allocated))
        }
        let (manager, directory, udpPort) = try await startManager(databasePath: fixture.databasePath)
        defer { directory.remove() }
        let sender = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(
            host: "127.0.0.1", port: 0
        ).get()
        let target = try SocketAddress(ipAddress: "127.0.0.1", port: udpPort)
        let codec = HeartbeatCodec(key: Self.key)
        var seq: UInt64 = 0
        func status(_ kind: ResourceKind, _ id: String) async throws -> OperatingStatus? {
            try await fixture.store.resource(ResourceRef(kind, id), projectID: nil)?.operatingStatus
        }
        for rule in Self.rollupCases {
            seq += 1
            var pools: [String: HeartbeatMessage.Pool] = [:]
            if let pool = rule.pool {
                pools["\(tree.pool):\(tree.listener)"] = .init(
                    status: pool, members: rule.member.map { [tree.member: $0] } ?? [:])
            }
            let message = HeartbeatMessage(
                id: "amp-1", seq: seq,
                listeners: rule.listener.map {
                    [tree.listener: .init(status: $0, stats: .init(rx: 10, tx: 20, conns: 1, totconns: 1, ereq: 0))]
                } ?? [:],
                pools: pools, bootId: "boot")
            try await sender.writeAndFlush(
                AddressedEnvelope(remoteAddress: target, data: ByteBuffer(bytes: try codec.seal(message))))
            let deadline = ContinuousClock.now + .seconds(10)
            var observed: [OperatingStatus?] = []
            let expected: [OperatingStatus?] = [
                rule.expected.lb, rule.expected.listener, rule.expected.pool, rule.expected.member,
            ]
            repeat {
                try await Task.sleep(for: .milliseconds(30))
                observed = [
                    try await status(.loadBalancer, tree.lb), try await status(.listener, tree.listener),
                    try await status(.pool, tree.pool), try await status(.member, tree.member),
                ]
            } while observed != expected && ContinuousClock.now < deadline
            #expect(observed == expected, "\(rule.name)")
        }
        // The pair's BACKUP reports too: counters add up across both amphorae.
        let backup = HeartbeatMessage(
            id: "amp-2", seq: 1,
            listeners: [
                tree.listener: .init(status: "OPEN", stats: .init(rx: 5, tx: 7, conns: 2, totconns: 3, ereq: 1))
            ],
            pools: ["\(tree.pool):\(tree.listener)": .init(status: "UP", members: [tree.member: "UP"])],
            bootId: "boot-2")
        try await sender.writeAndFlush(
            AddressedEnvelope(remoteAddress: target, data: ByteBuffer(bytes: try codec.seal(backup))))
        let reported = Int64(Self.rollupCases.filter { $0.listener != nil }.count)
        let deadline = ContinuousClock.now + .seconds(10)
        var totals = try await fixture.store.loadBalancerStatistics(loadBalancerID: tree.lb)
        while totals.bytesIn != reported * 10 + 5 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(30))
            totals = try await fixture.store.loadBalancerStatistics(loadBalancerID: tree.lb)
        }
        #expect(totals.bytesIn == reported * 10 + 5)
        #expect(totals.bytesOut == reported * 20 + 7)
        #expect(totals.totalConnections == reported + 3)
        #expect(totals.requestErrors == 1)
        #expect(totals.activeConnections == 1 + 2, "gauges: the latest of each amphora")
        try await sender.close()
        manager.signal(SIGTERM)
        #expect(await manager.exitStatus(within: .seconds(60)) == 0)
    }

    func startManager(databasePath: String) async throws -> (ChildProcess, TemporaryDirectory, Int) {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "fulcrum.yaml",
            """
            database:
              path: \(databasePath)
            health_manager:
              bind_addresses: ["127.0.0.1:0"]
              heartbeat_key: \(Self.key)
              heartbeat_timeout_seconds: 30
              heartbeat_interval_seconds: 1
              flush_interval_ms: 20
              metrics_address: ""
            """)
        let manager = try ChildProcess(
            executable: "fulcrum-health-manager", arguments: ["--config", config], in: directory)
        #expect(await manager.waitForStandardError(containing: "listening for heartbeats", within: .seconds(15)))
        let udpPort = try #require(self.port(after: "listening for heartbeats", in: manager.standardError))
        return (manager, directory, udpPort)
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
        // The listener and the metrics server start concurrently: either line may come first.
        _ = await manager.waitForStandardError(containing: "listening for heartbeats", within: .seconds(15))
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

        let metrics = try await metricsText(port: metricsPort)
        let parsed = try PrometheusText(parsing: metrics)
        #expect(parsed.value("fulcrum_heartbeat_received_total") == 4)
        #expect(metrics.contains(#"fulcrum_heartbeat_rejected_total{reason="bad_signature"} 2"#), "\(metrics)")
        #expect(metrics.contains(#"fulcrum_heartbeat_rejected_total{reason="replayed"} 1"#))
        #expect(metrics.contains("fulcrum_heartbeat_accepted_total 1"))
        #expect(metrics.contains("fulcrum_heartbeat_received_total 4"))

        try await sender.close()
        manager.signal(SIGTERM)
        #expect(await manager.exitStatus(within: .seconds(60)) == 0)
    }
}
