import Foundation
import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import Testing

@Suite("Health store: snapshots, roll-up writes, statistics, stale amphorae")
struct HealthStoreTests {
    func amphora(_ id: String, lb: String, status: AmphoraStatus = .allocated, fixture: StoreFixture) async throws {
        try await fixture.store.insertAmphora(Amphora(id: id, loadBalancerID: lb, role: .standalone, status: status))
    }

    @Test("a snapshot describes the amphora's load balancer; an unknown amphora has none")
    func snapshot() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        try await amphora("amp-1", lb: tree.lb, fixture: fixture)
        let snapshot = try #require(try await fixture.store.healthSnapshot(amphoraID: "amp-1"))
        #expect(snapshot.rollup.loadBalancerID == tree.lb)
        #expect(snapshot.rollup.listeners.map(\.id) == [tree.listener])
        #expect(snapshot.rollup.pools.map(\.hasHealthMonitor) == [true])
        #expect(snapshot.rollup.members.map(\.id) == [tree.member])
        #expect(snapshot.expectedListenerCount == 1)
        #expect(try await fixture.store.healthSnapshot(amphoraID: "nobody") == nil)
    }

    @Test("a heartbeat's roll-up changes and last-seen time land in one write")
    func applyRollup() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        try await amphora("amp-1", lb: tree.lb, fixture: fixture)
        let snapshot = try #require(try await fixture.store.healthSnapshot(amphoraID: "amp-1"))
        let report = StatusRollup.Report(
            listeners: [tree.listener: "OPEN"],
            pools: ["\(tree.pool):\(tree.listener)": .init(status: "UP", members: [tree.member: "DOWN"])])
        let result = StatusRollup.compute(snapshot.rollup, report: report)
        let changes = StatusRollup.changes(from: snapshot.rollup, to: result)
        let seen = fixture.clock.now()
        try await fixture.store.apply([
            HeartbeatUpdate(amphoraID: "amp-1", receivedAt: seen, refreshHealth: true, changes: changes, statistics: [])
        ])
        let member = try await fixture.store.resource(ResourceRef(.member, tree.member), projectID: nil)
        #expect(member?.operatingStatus == .error)
        #expect(
            try await fixture.store.resource(ResourceRef(.pool, tree.pool), projectID: nil)?.operatingStatus
                == .degraded)
        #expect(
            try await fixture.store.resource(ResourceRef(.loadBalancer, tree.lb), projectID: nil)?.operatingStatus
                == .degraded)
        #expect(
            try await fixture.store.resource(ResourceRef(.listener, tree.listener), projectID: nil)?.operatingStatus
                == .online)
        #expect(try await fixture.store.amphoraHealth(id: "amp-1")?.lastUpdate == seen)
    }

    @Test("v3 deltas add up per amphora; the active gauge counts only ALLOCATED amphorae; totals survive failover")
    func statistics() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        try await amphora("amp-old", lb: tree.lb, fixture: fixture)
        try await amphora("amp-new", lb: tree.lb, fixture: fixture)
        func delta(_ amphora: String, _ bytesIn: Int64, active: Int64) -> StatisticsDelta {
            StatisticsDelta(
                listenerID: tree.listener, amphoraID: amphora, bytesIn: bytesIn, bytesOut: bytesIn * 10,
                activeConnections: active, totalConnections: 2, requestErrors: 1)
        }
        let now = fixture.clock.now()
        try await fixture.store.apply([
            HeartbeatUpdate(
                amphoraID: "amp-old", receivedAt: now, refreshHealth: true, changes: [],
                statistics: [delta("amp-old", 100, active: 4)]),
            HeartbeatUpdate(
                amphoraID: "amp-old", receivedAt: now, refreshHealth: true, changes: [],
                statistics: [delta("amp-old", 50, active: 3)]),
            HeartbeatUpdate(
                amphoraID: "amp-new", receivedAt: now, refreshHealth: true, changes: [],
                statistics: [delta("amp-new", 7, active: 1)]),
        ])
        var totals = try await fixture.store.listenerStatistics(listenerID: tree.listener)
        #expect(totals.bytesIn == 157)
        #expect(totals.bytesOut == 1_570)
        #expect(totals.activeConnections == 4, "gauges overwrite: 3 + 1")
        #expect(totals.totalConnections == 6)
        #expect(totals.requestErrors == 3)
        // The old amphora is failed over: its counters stay in the totals, its gauge drops out.
        try await fixture.force([.amphoraStatus(id: "amp-old", .deleted)])
        totals = try await fixture.store.loadBalancerStatistics(loadBalancerID: tree.lb)
        #expect(totals.bytesIn == 157)
        #expect(totals.activeConnections == 1)
        #expect(try await fixture.store.amphoraStatistics(amphoraID: "amp-new").map(\.bytesIn) == [7])
    }

    @Test("stale: only ALLOCATED, not busy, settled LB, once; a new heartbeat clears it")
    func staleDetection() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let other = try await fixture.activeLoadBalancer()
        try await amphora("amp-ok", lb: tree.lb, fixture: fixture)
        try await amphora("amp-booting", lb: tree.lb, status: .booting, fixture: fixture)
        try await amphora("amp-pending-lb", lb: other.id, fixture: fixture)
        let old = fixture.clock.now()
        for id in ["amp-ok", "amp-booting", "amp-pending-lb"] {
            try await fixture.store.recordHeartbeat(amphoraID: id, at: old)
        }
        _ = try await fixture.store.update(.loadBalancer(other), task: fixture.task())  // other LB → PENDING_UPDATE
        fixture.clock.advance(by: .seconds(120))
        let now = fixture.clock.now()
        let cutoff = now.addingTimeInterval(-60)
        #expect(try await fixture.store.markStale(lastSeenBefore: cutoff, at: now) == ["amp-ok"])
        #expect(try await fixture.store.markStale(lastSeenBefore: cutoff, at: now).isEmpty, "judged once")
        #expect(try await fixture.store.staleAmphorae().map(\.amphoraID) == ["amp-ok"])
        try await fixture.store.apply([
            HeartbeatUpdate(amphoraID: "amp-ok", receivedAt: now, refreshHealth: true, changes: [], statistics: [])
        ])
        #expect(try await fixture.store.staleAmphorae().isEmpty)
    }
}
