import Foundation
import FulcrumHealthManager
import FulcrumModel
import FulcrumStore
import FulcrumWire
import Testing

@Suite("Heartbeat planner (pure)")
struct HeartbeatPlannerTests {
    static let snapshot = HealthSnapshot(
        amphoraID: "amp-1", amphoraStatus: .allocated,
        rollup: StatusRollup.Snapshot(
            loadBalancerID: "lb-1", operatingStatus: .offline,
            listeners: [.init(id: "l1", operatingStatus: .offline)],
            pools: [.init(id: "p1", hasHealthMonitor: true, operatingStatus: .offline)],
            members: [.init(id: "m1", poolID: "p1", weight: 1, operatingStatus: .offline)]))

    static func message(
        seq: UInt64, member: String = "UP", rx: UInt64 = 10, conns: UInt64 = 1, listeners: [String] = ["l1"]
    ) -> HeartbeatMessage {
        HeartbeatMessage(
            id: "amp-1", seq: seq,
            listeners: Dictionary(
                uniqueKeysWithValues: listeners.map {
                    ($0, .init(status: "OPEN", stats: .init(rx: rx, tx: rx * 2, conns: conns, totconns: 1, ereq: 0)))
                }),
            pools: ["p1:l1": .init(status: "UP", members: ["m1": member])], bootId: "boot-a")
    }

    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("unknown amphorae are rejected; known ones get one update each")
    func unknown() {
        var stranger = Self.message(seq: 1)
        stranger.id = "amp-x"
        let plan = HeartbeatPlanner.plan(
            [.init(message: stranger, receivedAt: now), .init(message: Self.message(seq: 1), receivedAt: now)],
            snapshots: ["amp-1": Self.snapshot])
        #expect(plan.rejected == [.unknownAmphora])
        #expect(plan.updates.map(\.amphoraID) == ["amp-1"])
    }

    @Test("the newest message decides statuses; counters of every message add up; the gauge is the newest")
    func batchSemantics() throws {
        let plan = HeartbeatPlanner.plan(
            [
                .init(
                    message: Self.message(seq: 2, member: "DOWN", rx: 5, conns: 9),
                    receivedAt: now.addingTimeInterval(1)),
                .init(message: Self.message(seq: 1, member: "UP", rx: 10, conns: 3), receivedAt: now),
            ],
            snapshots: ["amp-1": Self.snapshot])
        let update = try #require(plan.updates.first)
        #expect(update.changes.contains(.operating(ResourceRef(.member, "m1"), .error)))
        #expect(update.changes.contains(.operating(ResourceRef(.pool, "p1"), .degraded)))
        #expect(update.changes.contains(.operating(ResourceRef(.loadBalancer, "lb-1"), .degraded)))
        let stats = try #require(update.statistics.first)
        #expect(stats.bytesIn == 15)
        #expect(stats.bytesOut == 30)
        #expect(stats.activeConnections == 9)
        #expect(stats.totalConnections == 2)
        #expect(update.receivedAt == now.addingTimeInterval(1))
        #expect(update.refreshHealth)
    }

    @Test(
        "a listener-count mismatch applies statuses but does not refresh the health row; unknown listeners' stats are ignored"
    )
    func mismatch() throws {
        let plan = HeartbeatPlanner.plan(
            [.init(message: Self.message(seq: 1, listeners: ["l1", "ghost"]), receivedAt: now)],
            snapshots: ["amp-1": Self.snapshot])
        let update = try #require(plan.updates.first)
        #expect(!update.refreshHealth)
        #expect(update.statistics.map(\.listenerID) == ["l1"])
        #expect(!update.changes.isEmpty)
    }
}
