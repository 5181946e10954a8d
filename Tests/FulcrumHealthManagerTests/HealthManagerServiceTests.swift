import Foundation
import FulcrumHealthManager
import FulcrumModel
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import FulcrumWire
import Logging
import MetricsTestKit
import NIOCore
import NIOPosix
import Testing

/// A real UDP listener + batched updater on loopback, with a real SQLite store.
@Suite("Health manager on loopback")
struct HealthManagerServiceTests {
    static let key = "lab-heartbeat-key-0123456789"

    struct Harness {
        let fixture: StoreFixture
        let tree: StoreFixture.Tree
        let metrics: TestMetrics
        let buffer = HeartbeatBuffer()
        let updater: HeartbeatUpdater
        let port: Int
        let task: Task<Void, any Error>
        let sender: any Channel

        func send(_ bytes: [UInt8]) async throws {
            let address = try SocketAddress(ipAddress: "127.0.0.1", port: port)
            try await sender.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: bytes)))
        }

        /// Waits until the listener has counted `count` datagrams, then flushes one batch.
        func settle(received count: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(10)
            while (try? metrics.expectCounter("fulcrum_heartbeat_received_total").totalValue) ?? 0 < count {
                guard ContinuousClock.now < deadline else {
                    Issue.record(
                        "only \((try? metrics.expectCounter("fulcrum_heartbeat_received_total").totalValue) ?? 0) datagrams arrived"
                    )
                    return
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            await updater.flushOnce()
        }

        func rejected(_ reason: RejectReason) -> Int64 {
            (try? metrics.expectCounter("fulcrum_heartbeat_rejected_total", [("reason", reason.rawValue)]).totalValue)
                ?? 0
        }

        func stop() async throws {
            task.cancel()
            _ = await task.result
            try await sender.close()
            fixture.directory.remove()
        }
    }

    func harness() async throws -> Harness {
        let fixture = try await StoreFixture()
        let tree = try await fixture.activeTree()
        try await fixture.store.insertAmphora(
            Amphora(id: "amp-1", loadBalancerID: tree.lb, role: .standalone, status: .allocated))
        let metrics = TestMetrics()
        let healthMetrics = HealthManagerMetrics(factory: metrics)
        let buffer = HeartbeatBuffer()
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let listener = HeartbeatListener(
            host: "127.0.0.1", port: 0, key: Self.key, buffer: buffer, metrics: healthMetrics, clock: fixture.clock,
            logger: Logger(label: "test"), onBound: { continuation.yield($0) })
        let task = Task { try await listener.run() }
        var iterator = stream.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let sender = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(
            host: "127.0.0.1", port: 0
        ).get()
        let updater = HeartbeatUpdater(
            store: fixture.store, buffer: buffer, metrics: healthMetrics, interval: .seconds(3600),
            logger: Logger(label: "test"))
        return Harness(
            fixture: fixture, tree: tree, metrics: metrics, updater: updater, port: port, task: task, sender: sender)
    }

    func message(_ tree: StoreFixture.Tree, seq: UInt64, member: String, rx: UInt64 = 100) -> HeartbeatMessage {
        HeartbeatMessage(
            id: "amp-1", seq: seq,
            listeners: [
                tree.listener: .init(status: "OPEN", stats: .init(rx: rx, tx: rx * 3, conns: 2, totconns: 4, ereq: 1))
            ],
            pools: ["\(tree.pool):\(tree.listener)": .init(status: "UP", members: [tree.member: member])],
            bootId: "boot-1")
    }

    @Test("accepted heartbeats roll statuses up and add statistics in the store")
    func accepted() async throws {
        let h = try await harness()
        let codec = HeartbeatCodec(key: Self.key)
        try await h.send(try codec.seal(message(h.tree, seq: 1, member: "UP")))
        try await h.send(try codec.seal(message(h.tree, seq: 2, member: "DOWN", rx: 50)))
        try await h.settle(received: 2)
        let store = h.fixture.store
        #expect(
            try await store.resource(ResourceRef(.member, h.tree.member), projectID: nil)?.operatingStatus == .error)
        #expect(try await store.resource(ResourceRef(.pool, h.tree.pool), projectID: nil)?.operatingStatus == .degraded)
        #expect(
            try await store.resource(ResourceRef(.loadBalancer, h.tree.lb), projectID: nil)?.operatingStatus
                == .degraded)
        #expect(
            try await store.resource(ResourceRef(.listener, h.tree.listener), projectID: nil)?.operatingStatus
                == .online)
        let stats = try await store.loadBalancerStatistics(loadBalancerID: h.tree.lb)
        #expect(stats.bytesIn == 150)
        #expect(stats.bytesOut == 450)
        #expect(stats.totalConnections == 8)
        #expect(stats.activeConnections == 2)
        #expect(try await store.amphoraHealth(id: "amp-1") != nil)
        #expect(try h.metrics.expectCounter("fulcrum_heartbeat_accepted_total").totalValue == 2)
        try await h.stop()
    }

    @Test("bad input changes nothing, is counted by reason, and the listener keeps serving")
    func badInput() async throws {
        let h = try await harness()
        let before = try await h.fixture.store.resource(ResourceRef(.member, h.tree.member), projectID: nil)?
            .operatingStatus
        let codec = HeartbeatCodec(key: Self.key)
        let good = try codec.seal(message(h.tree, seq: 5, member: "DOWN"))
        var tampered = good
        tampered[3] ^= 0x01
        let wrongKey = try HeartbeatCodec(key: "another-key-another-key").seal(message(h.tree, seq: 6, member: "DOWN"))
        var stranger = message(h.tree, seq: 1, member: "DOWN")
        stranger.id = "amp-unknown"
        var random = SystemRandomNumberGenerator()
        let cases: [[UInt8]] = [
            tampered, wrongKey, Array(good.prefix(20)), [UInt8](repeating: 0x41, count: 65_000),
            (0..<300).map { _ in UInt8.random(in: 0...255, using: &random) }, try codec.seal(stranger),
        ]
        for datagram in cases { try await h.send(datagram) }
        try await h.settle(received: cases.count)
        #expect(
            try await h.fixture.store.resource(ResourceRef(.member, h.tree.member), projectID: nil)?.operatingStatus
                == before)
        #expect(try await h.fixture.store.amphoraHealth(id: "amp-1") == nil, "nothing was accepted for amp-1")
        #expect(try await h.fixture.store.amphoraHealth(id: "amp-unknown") == nil)
        #expect(h.rejected(.badSignature) >= 2)
        #expect(h.rejected(.tooShort) + h.rejected(.badSignature) >= 3, "truncated")
        #expect(h.rejected(.unknownAmphora) == 1)
        // (70 KiB cannot be sent as one UDP datagram; the size limit is covered by the intake test.)
        #expect(try h.metrics.expectCounter("fulcrum_heartbeat_accepted_total").totalValue == 0)
        // Still serving: a good heartbeat, then its replay.
        try await h.send(good)
        try await h.send(good)
        try await h.settle(received: cases.count + 2)
        #expect(h.rejected(.replayed) == 1)
        #expect(
            try await h.fixture.store.resource(ResourceRef(.member, h.tree.member), projectID: nil)?.operatingStatus
                == .error)
        try await h.stop()
    }
}
