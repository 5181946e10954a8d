import Foundation
import FulcrumHousekeeping
import FulcrumModel
import Testing

/// Every rule of the rebuild decision, without I/O.
@Suite("Rebuild planner")
struct RebuildPlannerTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func amphora(
        _ id: String, _ status: AmphoraStatus = .allocated, lb: String? = "lb", age: Double = 0
    )
        -> Amphora
    {
        Amphora(id: id, loadBalancerID: lb, status: status, createdAt: start.addingTimeInterval(age))
    }

    static func observe(
        _ amphorae: [Amphora], stale: Set<String> = [], running: Set<String>? = nil, inFlight: Int = 0,
        at offset: Double = 0
    ) -> RebuildPlanner.Observation {
        .init(
            amphorae: amphorae, stale: stale, running: running ?? Set(amphorae.map(\.id)), inFlight: inFlight,
            now: start.addingTimeInterval(offset))
    }

    @Test("stale, vanished and ERROR amphorae are rebuilt with their reason; building and unassigned ones are not")
    func reasons() {
        var planner = RebuildPlanner(policy: .init(maxRebuilds: 10, maxFleetFraction: 1))
        let fleet = [
            Self.amphora("stale", age: 1), Self.amphora("gone", age: 2), Self.amphora("failed", .error, age: 3),
            Self.amphora("fine", age: 4), Self.amphora("booting", .booting, age: 5),
            Self.amphora("spare", lb: nil, age: 6),
        ]
        let decision = planner.plan(
            Self.observe(fleet, stale: ["stale", "booting"], running: ["stale", "fine", "booting", "spare"]))
        #expect(decision.rebuild.map(\.id) == ["stale", "gone", "failed"])
        #expect(decision.rebuild.map(\.reason) == [.stale, .vanished, .error])
        #expect(!decision.breakerOpen)
    }

    @Test("when the compute hosts cannot be listed, no VM counts as vanished")
    func unknownCompute() {
        var planner = RebuildPlanner(policy: .init())
        let decision = planner.plan(
            .init(amphorae: [Self.amphora("a")], stale: [], running: nil, inFlight: 0, now: Self.start))
        #expect(decision.rebuild.isEmpty)
    }

    @Test("a rebuild that failed is retried after an exponential backoff, not abandoned")
    func backoff() {
        var planner = RebuildPlanner(policy: .init(backoffBase: .seconds(10), backoffMax: .seconds(30)))
        let failed = [Self.amphora("a", .error)]
        #expect(planner.plan(Self.observe(failed)).rebuild.map(\.id) == ["a"])
        // While the rebuild runs, the retired amphora is DELETED and not listed.
        #expect(planner.plan(Self.observe([], at: 5)).rebuild.isEmpty)
        // It failed again (ERROR): 10 s after the first attempt it is retried, then after 20 s, then 30 s (max).
        #expect(planner.plan(Self.observe(failed, at: 9)).backingOff == ["a"])
        #expect(planner.plan(Self.observe(failed, at: 10)).rebuild.map(\.id) == ["a"])
        #expect(planner.plan(Self.observe(failed, at: 29)).backingOff == ["a"])
        #expect(planner.plan(Self.observe(failed, at: 30)).rebuild.map(\.id) == ["a"])
        #expect(planner.plan(Self.observe(failed, at: 59)).backingOff == ["a"])
        #expect(planner.plan(Self.observe(failed, at: 60)).rebuild.map(\.id) == ["a"])
        #expect(planner.plan(Self.observe(failed, at: 90)).rebuild.map(\.id) == ["a"])
    }

    @Test("threshold: maxRebuilds, or the fleet fraction if smaller, at least one")
    func threshold() {
        let policy = RebuildPlanner.Policy(maxRebuilds: 4, maxFleetFraction: 0.5)
        #expect(policy.threshold(fleet: 0) == 1)
        #expect(policy.threshold(fleet: 2) == 1)
        #expect(policy.threshold(fleet: 5) == 3)
        #expect(policy.threshold(fleet: 100) == 4)
    }

    @Test("more failures than the threshold open the breaker: at most threshold rebuilds per episode, the rest held")
    func breaker() {
        var planner = RebuildPlanner(
            policy: .init(maxRebuilds: 2, maxFleetFraction: 1, resetAfter: .seconds(600)))
        let fleet = (1...5).map { Self.amphora("a\($0)", age: Double($0)) }
        let failing = Set(["a1", "a2", "a3"])
        let first = planner.plan(Self.observe(fleet, running: Set(fleet.map(\.id)).subtracting(failing)))
        #expect(first.breakerOpen)
        #expect(first.rebuild.map(\.id) == ["a1", "a2"])
        #expect(first.held == ["a3"])
        // The two rebuilt (now replaced), a3 still failing: the episode's budget is spent, a3 stays held.
        let later = planner.plan(Self.observe(Array(fleet.dropFirst(2)), running: ["a4", "a5"], at: 60))
        #expect(later.breakerOpen && later.rebuild.isEmpty && later.held == ["a3"])
        // The breaker resets after resetAfter.
        let reset = planner.plan(Self.observe(Array(fleet.dropFirst(2)), running: ["a4", "a5"], at: 601))
        #expect(!reset.breakerOpen && reset.rebuild.map(\.id) == ["a3"])
    }

    @Test("in-flight rebuilds count towards the breaker")
    func inFlight() {
        var planner = RebuildPlanner(policy: .init(maxRebuilds: 2, maxFleetFraction: 1))
        let fleet = [Self.amphora("a"), Self.amphora("b")]
        let decision = planner.plan(Self.observe(fleet, running: [], inFlight: 1))
        #expect(decision.breakerOpen)
        #expect(decision.rebuild.map(\.id) == ["a"])
        #expect(decision.held == ["b"])
    }

    @Test("an enqueue that failed (load balancer busy) does not spend the backoff or the breaker budget")
    func enqueueFailed() {
        var planner = RebuildPlanner(policy: .init(maxRebuilds: 1, maxFleetFraction: 1))
        let fleet = [Self.amphora("a"), Self.amphora("b")]
        let first = planner.plan(Self.observe(fleet, running: []))
        #expect(first.rebuild.map(\.id) == ["a"])
        planner.enqueueFailed("a")
        #expect(planner.plan(Self.observe(fleet, running: [], at: 1)).rebuild.map(\.id) == ["a"])
    }
}
