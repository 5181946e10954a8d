import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import Testing

/// Reference §4: every quota resource, defaults, overrides, -1, and the concurrent-create race.
@Suite("Quotas")
struct QuotaTests {
    /// Builds one more object of `resource` in the tree (a fresh parent where uniqueness needs it).
    static func another(
        _ resource: QuotaResource, fixture: StoreFixture, tree: StoreFixture.Tree, index: Int
    ) -> Resource {
        let project = fixture.project
        let id = "extra-\(resource.rawValue)-\(index)"
        switch resource {
        case .loadBalancer:
            return .loadBalancer(LoadBalancer(id: id, projectID: project, vipSubnetID: "private-subnet"))
        case .listener:
            return .listener(
                Listener(
                    id: id, projectID: project, loadBalancerID: tree.lb, protocol: .tcp, protocolPort: 1000 + index))
        case .pool:
            return .pool(
                Pool(id: id, projectID: project, loadBalancerID: tree.lb, protocol: .tcp, lbAlgorithm: .sourceIP))
        case .member:
            return .member(
                Member(
                    id: id, projectID: project, poolID: tree.pool, address: "198.51.100.16", protocolPort: 2000 + index)
            )
        case .healthMonitor:
            return .healthMonitor(
                HealthMonitor(
                    id: id, projectID: project, poolID: "pool-for-\(id)", type: .tcp, delay: 1, timeout: 1,
                    maxRetries: 1))
        case .l7Policy:
            return .l7Policy(L7Policy(id: id, projectID: project, listenerID: tree.listener, action: .reject))
        case .l7Rule:
            return .l7Rule(
                L7Rule(
                    id: id, projectID: project, l7PolicyID: tree.policy, type: .path, compareType: .equalTo,
                    value: "/\(index)"))
        }
    }

    @Test(
        "an explicit limit allows up to the limit and refuses one more (403), changing nothing",
        arguments: QuotaResource.allCases)
    func explicitLimit(resource: QuotaResource) async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let inUse = try await fixture.store.usage(projectID: fixture.project)[resource] ?? 0
        #expect(inUse == 1, "the tree holds one \(resource)")
        _ = try await fixture.store.setQuota(projectID: fixture.project, Quota(limits: [resource: 2]))
        func create(_ index: Int) async throws {
            var object = Self.another(resource, fixture: fixture, tree: tree, index: index)
            if case .healthMonitor(var monitor) = object {
                // A monitor needs a pool without one.
                let pool = Pool(
                    id: monitor.poolID, projectID: fixture.project, loadBalancerID: tree.lb, protocol: .tcp,
                    lbAlgorithm: .roundRobin)
                try await fixture.activate(.pool(pool))
                monitor.poolID = pool.id
                object = .healthMonitor(monitor)
            }
            _ = try await fixture.store.create(object, options: .init(), task: fixture.task())
            try await fixture.completeAll()
        }
        try await create(1)
        let before = try await fixture.taskCount()
        await #expect(throws: StoreError.self) { try await create(2) }
        if resource != .healthMonitor {  // the monitor's helper pool is created before the refusal
            #expect(try await fixture.taskCount() == before)
        }
        #expect(try await fixture.store.usage(projectID: fixture.project)[resource] == 2)
        // -1 lifts the limit; another project is unaffected by this project's quota.
        _ = try await fixture.store.setQuota(projectID: fixture.project, Quota(limits: [resource: -1]))
        try await create(3)
        #expect(try await fixture.store.usage(projectID: fixture.project)[resource] == 3)
        #expect(try await fixture.store.usage(projectID: "project-b")[resource] == 0)
    }

    @Test("seed defaults: 10 load balancers and 10 pools per project, the rest unlimited")
    func seedDefaults() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let effective = try await fixture.store.effectiveQuota(projectID: fixture.project)
        #expect(
            effective.limits == [
                .loadBalancer: 10, .pool: 10, .listener: -1, .member: -1, .healthMonitor: -1, .l7Policy: -1,
                .l7Rule: -1,
            ])
        for index in 0..<10 {
            _ = try await fixture.store.create(
                .loadBalancer(
                    LoadBalancer(id: "lb-\(index)", projectID: fixture.project, vipSubnetID: "private-subnet")),
                options: .init(), task: fixture.task())
        }
        do {
            _ = try await fixture.store.create(
                .loadBalancer(LoadBalancer(id: "lb-10", projectID: fixture.project, vipSubnetID: "private-subnet")),
                options: .init(), task: fixture.task())
            Issue.record("the 11th load balancer was accepted")
        } catch let error as StoreError {
            #expect(error.code == .quotaExceeded)
            #expect(error.message == "Quota has been met for resources: Load Balancer")
        }
        // A per-project override wins over the default; deleting the override restores it.
        _ = try await fixture.store.setQuota(projectID: fixture.project, Quota(limits: [.loadBalancer: 11]))
        _ = try await fixture.store.create(
            .loadBalancer(LoadBalancer(id: "lb-10", projectID: fixture.project, vipSubnetID: "private-subnet")),
            options: .init(), task: fixture.task())
        try await fixture.store.resetQuota(projectID: fixture.project)
        #expect(try await fixture.store.quotas().isEmpty)
        #expect(try await fixture.store.effectiveQuota(projectID: fixture.project)[.loadBalancer] == 10)
    }

    @Test("a deleted load balancer no longer counts")
    func deletedDoesNotCount() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        _ = try await fixture.store.setQuota(projectID: fixture.project, Quota(limits: [.loadBalancer: 1]))
        let lb = try await fixture.activeLoadBalancer()
        _ = try await fixture.store.delete(
            ResourceRef(.loadBalancer, lb.id), projectID: nil, cascade: false, task: fixture.task())
        #expect(
            try await fixture.store.usage(projectID: fixture.project)[.loadBalancer] == 1, "PENDING_DELETE still counts"
        )
        try await fixture.completeAll()
        #expect(try await fixture.store.usage(projectID: fixture.project)[.loadBalancer] == 0)
        try await fixture.activeLoadBalancer()
    }

    @Test("out-of-range limits are refused")
    func invalidLimits() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        await #expect(throws: StoreError.self) {
            _ = try await fixture.store.setQuota(projectID: fixture.project, Quota(limits: [.member: -2]))
        }
        await #expect(throws: StoreError.self) {
            _ = try await fixture.store.setQuota(projectID: fixture.project, Quota(limits: [.member: 2_000_000_001]))
        }
        #expect(try await fixture.store.quota(projectID: fixture.project).limits.isEmpty)
    }

    @Test("two concurrent creates at quota − 1 from two database pools: exactly one wins", arguments: 0..<5)
    func concurrentCreateRace(round: Int) async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        _ = try await fixture.store.setQuota(projectID: fixture.project, Quota(limits: [.loadBalancer: 3]))
        try await fixture.activeLoadBalancer()
        try await fixture.activeLoadBalancer()
        // Two pools on the same file behave like two API processes.
        let first = SQLiteStore(database: try FulcrumDatabase.open(path: fixture.databasePath))
        let second = SQLiteStore(database: try FulcrumDatabase.open(path: fixture.databasePath))
        func attempt(_ store: SQLiteStore, _ id: String) async -> Bool {
            do {
                _ = try await store.create(
                    .loadBalancer(LoadBalancer(id: id, projectID: fixture.project, vipSubnetID: "private-subnet")),
                    options: .init(), task: fixture.task())
                return true
            } catch {
                return false
            }
        }
        async let a = attempt(first, "race-a-\(round)")
        async let b = attempt(second, "race-b-\(round)")
        let outcomes = await [a, b]
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try await fixture.store.usage(projectID: fixture.project)[.loadBalancer] == 3)
        let vips = try await fixture.store.allocations(subnetID: "private-subnet").map(\.address)
        #expect(Set(vips).count == 3)
    }
}
