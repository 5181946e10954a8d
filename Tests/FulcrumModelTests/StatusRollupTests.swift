import FulcrumModel
import Testing

/// One roll-up rule: a snapshot, a heartbeat and the statuses it must produce (only the
/// listed objects are checked; the load balancer always is).
struct RollupCase: Sendable, CustomTestStringConvertible {
    let name: String
    var snapshot = RollupCase.healthy
    var report = RollupCase.healthyReport
    var lb: OperatingStatus
    var listeners: [String: OperatingStatus] = [:]
    var pools: [String: OperatingStatus] = [:]
    var members: [String: OperatingStatus] = [:]

    var testDescription: String { name }

    /// An ACTIVE, enabled load balancer with listener L1 → pool P1 (monitored) → members M1, M2,
    /// all currently ONLINE.
    static let healthy = StatusRollup.Snapshot(
        loadBalancerID: "lb",
        operatingStatus: .online,
        listeners: [.init(id: "L1", operatingStatus: .online)],
        pools: [.init(id: "P1", hasHealthMonitor: true, operatingStatus: .online)],
        members: [
            .init(id: "M1", poolID: "P1", operatingStatus: .online),
            .init(id: "M2", poolID: "P1", operatingStatus: .online),
        ]
    )

    static let healthyReport = StatusRollup.Report(
        listeners: ["L1": "OPEN"],
        pools: ["P1:L1": .init(status: "UP", members: ["M1": "UP", "M2": "UP"])]
    )

    /// The healthy report with member M1 reported as `status`.
    static func reporting(m1 status: String?, pool: String = "UP") -> StatusRollup.Report {
        var members = ["M2": "UP"]
        members["M1"] = status
        return .init(listeners: ["L1": "OPEN"], pools: ["P1:L1": .init(status: pool, members: members)])
    }

    /// The healthy snapshot with M1's current status and weight replaced.
    static func snapshot(m1 status: OperatingStatus, weight: Int = 1) -> StatusRollup.Snapshot {
        var snapshot = healthy
        snapshot.members[0].operatingStatus = status
        snapshot.members[0].weight = weight
        return snapshot
    }
}

extension StatusRollup.Snapshot {
    /// A copy with `edit` applied.
    func with(_ edit: (inout Self) -> Void) -> Self {
        var copy = self
        edit(&copy)
        return copy
    }
}

extension StatusRollup.Report {
    /// A copy with `edit` applied.
    func with(_ edit: (inout Self) -> Void) -> Self {
        var copy = self
        edit(&copy)
        return copy
    }
}

@Suite("Operating-status roll-up (reference §3)")
struct StatusRollupTests {
    static let cases: [RollupCase] = [
        RollupCase(
            name: "healthy heartbeat keeps everything ONLINE",
            lb: .online, listeners: ["L1": .online], pools: ["P1": .online], members: ["M1": .online, "M2": .online]),
        RollupCase(
            name: "LB starts ONLINE when enabled, even if it was OFFLINE",
            snapshot: RollupCase.healthy.with { $0.operatingStatus = .offline }, lb: .online),
        RollupCase(
            name: "admin-down LB: LB and pools OFFLINE, enabled listener ERROR (quirk)",
            snapshot: RollupCase.healthy.with { $0.enabled = false },
            report: .init(), lb: .offline, listeners: ["L1": .error], pools: ["P1": .offline],
            members: ["M1": .online, "M2": .online]),
        RollupCase(
            name: "listener OPEN → ONLINE",
            snapshot: RollupCase.healthy.with { $0.listeners[0].operatingStatus = .offline },
            lb: .online, listeners: ["L1": .online]),
        RollupCase(
            name: "listener FULL → DEGRADED and LB ONLINE → DEGRADED",
            report: RollupCase.healthyReport.with { $0.listeners["L1"] = "FULL" },
            lb: .degraded, listeners: ["L1": .degraded], pools: ["P1": .online]),
        RollupCase(
            name: "listener FULL on admin-down LB leaves LB OFFLINE",
            snapshot: RollupCase.healthy.with { $0.enabled = false },
            report: RollupCase.healthyReport.with { $0.listeners["L1"] = "FULL" },
            lb: .offline, listeners: ["L1": .degraded]),
        RollupCase(
            name: "missing enabled listener on ACTIVE LB → ERROR",
            report: RollupCase.healthyReport.with { $0.listeners = [:] },
            lb: .online, listeners: ["L1": .error]),
        RollupCase(
            name: "missing enabled listener on PENDING_UPDATE LB → OFFLINE",
            snapshot: RollupCase.healthy.with { $0.provisioningStatus = .pendingUpdate },
            report: RollupCase.healthyReport.with { $0.listeners = [:] },
            lb: .online, listeners: ["L1": .offline]),
        RollupCase(
            name: "missing admin-down listener → OFFLINE",
            snapshot: RollupCase.healthy.with { $0.listeners[0].enabled = false },
            report: RollupCase.healthyReport.with { $0.listeners = [:] },
            lb: .online, listeners: ["L1": .offline]),
        RollupCase(
            name: "unknown listener status keeps the previous one",
            snapshot: RollupCase.healthy.with { $0.listeners[0].operatingStatus = .degraded },
            report: RollupCase.healthyReport.with { $0.listeners["L1"] = "STOPPED" },
            lb: .online, listeners: ["L1": .degraded]),
        RollupCase(
            name: "pool UP → ONLINE",
            snapshot: RollupCase.healthy.with { $0.pools[0].operatingStatus = .offline },
            lb: .online, pools: ["P1": .online]),
        RollupCase(
            name: "pool key without listener suffix is accepted",
            report: .init(
                listeners: ["L1": "OPEN"], pools: ["P1": .init(status: "DOWN", members: ["M1": "UP", "M2": "UP"])]),
            lb: .error, pools: ["P1": .error]),
        RollupCase(
            name: "pool DOWN → pool ERROR and LB ERROR",
            report: RollupCase.reporting(m1: "UP", pool: "DOWN"), lb: .error, pools: ["P1": .error]),
        RollupCase(
            name: "pool DOWN outranks listener FULL",
            report: {
                var r = RollupCase.reporting(m1: "UP", pool: "DOWN")
                r.listeners["L1"] = "FULL"
                return r
            }(),
            lb: .error, listeners: ["L1": .degraded], pools: ["P1": .error]),
        RollupCase(
            name: "pool DOWN on admin-down LB still sets LB ERROR (code follows report)",
            snapshot: RollupCase.healthy.with { $0.enabled = false },
            report: RollupCase.reporting(m1: "UP", pool: "DOWN"), lb: .error, pools: ["P1": .error]),
        RollupCase(
            name: "pool absent → OFFLINE and its members keep their status",
            snapshot: RollupCase.snapshot(m1: .error),
            report: .init(listeners: ["L1": "OPEN"]),
            lb: .online, pools: ["P1": .offline], members: ["M1": .error, "M2": .online]),
        RollupCase(
            name: "unknown pool status keeps the pool's status; members still roll up",
            snapshot: RollupCase.snapshot(m1: .offline),
            report: RollupCase.reporting(m1: "UP", pool: "MAYBE"), lb: .online, pools: ["P1": .online],
            members: ["M1": .online]),
        RollupCase(
            name: "member UP → ONLINE",
            snapshot: RollupCase.snapshot(m1: .offline), report: RollupCase.reporting(m1: "UP"),
            lb: .online, members: ["M1": .online]),
        RollupCase(
            name: "member UP 2/3 (transitional) → ONLINE",
            snapshot: RollupCase.snapshot(m1: .error), report: RollupCase.reporting(m1: "UP 2/3"),
            lb: .online, members: ["M1": .online]),
        RollupCase(
            name: "member DOWN → ERROR, pool DEGRADED, LB DEGRADED",
            report: RollupCase.reporting(m1: "DOWN"),
            lb: .degraded, pools: ["P1": .degraded], members: ["M1": .error, "M2": .online]),
        RollupCase(
            name: "member DOWN 1/3 (transitional) → ERROR and degrades",
            report: RollupCase.reporting(m1: "DOWN 1/3"),
            lb: .degraded, pools: ["P1": .degraded], members: ["M1": .error]),
        RollupCase(
            name: "member DOWN in a DOWN pool: pool ERROR, LB ERROR",
            report: RollupCase.reporting(m1: "DOWN", pool: "DOWN"),
            lb: .error, pools: ["P1": .error], members: ["M1": .error]),
        RollupCase(
            name: "member DOWN on admin-down LB leaves LB OFFLINE",
            snapshot: RollupCase.healthy.with { $0.enabled = false },
            report: RollupCase.reporting(m1: "DOWN"),
            lb: .offline, pools: ["P1": .degraded], members: ["M1": .error]),
        RollupCase(
            name: "member DRAIN → DRAINING",
            report: RollupCase.reporting(m1: "DRAIN"), lb: .online, pools: ["P1": .online], members: ["M1": .draining]),
        RollupCase(
            name: "member UP with weight 0 → DRAINING",
            snapshot: RollupCase.snapshot(m1: .online, weight: 0), report: RollupCase.reporting(m1: "UP"),
            lb: .online, members: ["M1": .draining]),
        RollupCase(
            name: "member MAINT → OFFLINE",
            report: RollupCase.reporting(m1: "MAINT"), lb: .online, pools: ["P1": .online], members: ["M1": .offline]),
        RollupCase(
            name: "member no check → NO_MONITOR",
            report: RollupCase.reporting(m1: "no check"), lb: .online, members: ["M1": .noMonitor]),
        RollupCase(
            name: "member RESTARTING keeps ERROR and does not degrade the pool",
            snapshot: RollupCase.snapshot(m1: .error), report: RollupCase.reporting(m1: "RESTARTING"),
            lb: .online, pools: ["P1": .online], members: ["M1": .error]),
        RollupCase(
            name: "member RESTARTING keeps ONLINE",
            report: RollupCase.reporting(m1: "RESTARTING"), lb: .online, members: ["M1": .online]),
        RollupCase(
            name: "member not reported → OFFLINE",
            report: RollupCase.reporting(m1: nil), lb: .online, pools: ["P1": .online], members: ["M1": .offline]),
        RollupCase(
            name: "member not reported stays NO_MONITOR",
            snapshot: RollupCase.snapshot(m1: .noMonitor), report: RollupCase.reporting(m1: nil),
            lb: .online, members: ["M1": .noMonitor]),
        RollupCase(
            name: "pool without monitor: members no check → NO_MONITOR, pool UP → ONLINE",
            snapshot: RollupCase.healthy.with { $0.pools[0].hasHealthMonitor = false },
            report: .init(
                listeners: ["L1": "OPEN"],
                pools: ["P1:L1": .init(status: "UP", members: ["M1": "no check", "M2": "no check"])]),
            lb: .online, pools: ["P1": .online], members: ["M1": .noMonitor, "M2": .noMonitor]),
    ]

    @Test("roll-up rules", arguments: cases)
    func rule(_ testCase: RollupCase) {
        let result = StatusRollup.compute(testCase.snapshot, report: testCase.report)
        #expect(result.loadBalancer == testCase.lb)
        for (id, status) in testCase.listeners { #expect(result.listeners[id] == status, "listener \(id)") }
        for (id, status) in testCase.pools { #expect(result.pools[id] == status, "pool \(id)") }
        for (id, status) in testCase.members { #expect(result.members[id] == status, "member \(id)") }
        #expect(result.listeners.count == testCase.snapshot.listeners.count)
        #expect(result.pools.count == testCase.snapshot.pools.count)
        #expect(result.members.count == testCase.snapshot.members.count)
    }

    @Test("a pool shared by two listeners is rolled up once")
    func sharedPool() {
        var snapshot = RollupCase.healthy
        snapshot.listeners.append(.init(id: "L2", operatingStatus: .online))
        let report = StatusRollup.Report(
            listeners: ["L1": "OPEN", "L2": "OPEN"],
            pools: [
                "P1:L1": .init(status: "UP", members: ["M1": "UP", "M2": "UP"]),
                "P1:L2": .init(status: "UP", members: ["M1": "UP", "M2": "UP"]),
            ])
        let result = StatusRollup.compute(snapshot, report: report)
        #expect(result.pools == ["P1": .online])
        #expect(result.listeners == ["L1": .online, "L2": .online])
        #expect(result.loadBalancer == .online)
    }

    @Test(
        "pool keys lose their listener suffix",
        arguments: [("p1", "p1"), ("p1:l1", "p1"), ("a:b:c", "a:b"), (":l1", "")])
    func poolKey(_ key: String, _ id: String) {
        #expect(StatusRollup.poolID(fromKey: key) == id)
    }

    @Test("changes lists only differing statuses, LB last")
    func changes() {
        let snapshot = RollupCase.healthy
        let result = StatusRollup.compute(snapshot, report: RollupCase.reporting(m1: "DOWN"))
        let changes = StatusRollup.changes(from: snapshot, to: result)
        #expect(
            changes == [
                .operating(ResourceRef(.pool, "P1"), .degraded),
                .operating(ResourceRef(.member, "M1"), .error),
                .operating(ResourceRef(.loadBalancer, "lb"), .degraded),
            ])
    }

    @Test("a steady heartbeat produces no changes")
    func noChanges() {
        let result = StatusRollup.compute(RollupCase.healthy, report: RollupCase.healthyReport)
        #expect(StatusRollup.changes(from: RollupCase.healthy, to: result).isEmpty)
    }

    @Test("changes covers listeners first")
    func listenerChangeFirst() {
        var snapshot = RollupCase.healthy
        snapshot.listeners[0].operatingStatus = .offline
        snapshot.operatingStatus = .offline
        let result = StatusRollup.compute(snapshot, report: RollupCase.reporting(m1: "MAINT"))
        #expect(
            StatusRollup.changes(from: snapshot, to: result) == [
                .operating(ResourceRef(.listener, "L1"), .online),
                .operating(ResourceRef(.member, "M1"), .offline),
                .operating(ResourceRef(.loadBalancer, "lb"), .online),
            ])
    }
}
