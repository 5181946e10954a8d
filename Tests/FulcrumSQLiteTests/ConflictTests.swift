import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import Testing

/// The 409 uniqueness cases of reference §2 and the 400 cross-object rules.
@Suite("Conflicts and cross-object rules")
struct ConflictTests {

    @Test("duplicate listener port in the same L4 family is 409; UDP on the same port is fine")
    func duplicatePort() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let https = Listener(
            id: fixture.ids.next(), projectID: fixture.project, loadBalancerID: tree.lb, protocol: .https,
            protocolPort: 80)
        try await expectRefused(fixture, .conflict) {
            _ = try await fixture.store.create(.listener(https), options: .init(), task: fixture.task())
        }
        let udp = Listener(
            id: fixture.ids.next(), projectID: fixture.project, loadBalancerID: tree.lb, protocol: .udp,
            protocolPort: 80)
        try await fixture.activate(.listener(udp))
    }

    @Test("duplicate member address and port in a pool is 409")
    func duplicateMember() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let member = Member(
            id: fixture.ids.next(), projectID: fixture.project, poolID: tree.pool, address: "198.51.100.16",
            protocolPort: 80)
        try await expectRefused(fixture, .conflict) {
            _ = try await fixture.store.create(.member(member), options: .init(), task: fixture.task())
        }
    }

    @Test("a second health monitor on a pool is 409")
    func secondMonitor() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let monitor = HealthMonitor(
            id: fixture.ids.next(), projectID: fixture.project, poolID: tree.pool, type: .tcp, delay: 1, timeout: 1,
            maxRetries: 1)
        try await expectRefused(fixture, .conflict) {
            _ = try await fixture.store.create(.healthMonitor(monitor), options: .init(), task: fixture.task())
        }
    }

    @Test("a pool for a listener that already has a default pool is 409")
    func secondDefaultPool() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let pool = Pool(
            id: fixture.ids.next(), projectID: fixture.project, loadBalancerID: tree.lb, protocol: .http,
            lbAlgorithm: .roundRobin)
        try await expectRefused(fixture, .conflict) {
            _ = try await fixture.store.create(
                .pool(pool), options: CreateOptions(defaultPoolOfListener: tree.listener), task: fixture.task())
        }
    }

    @Test("a pool used by an L7 policy cannot be deleted (409)")
    func poolInUse() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let policy = L7Policy(
            id: fixture.ids.next(), projectID: fixture.project, listenerID: tree.listener, action: .redirectToPool,
            redirectPoolID: tree.pool)
        try await fixture.activate(.l7Policy(policy))
        try await expectRefused(fixture, .conflict) {
            _ = try await fixture.store.delete(
                ResourceRef(.pool, tree.pool), projectID: nil, cascade: false, task: fixture.task())
        }
    }

    @Test("more than 50 rules on a policy is 409")
    func tooManyRules() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        for index in 1..<50 {
            let rule = L7Rule(
                id: "rule-\(index)", projectID: fixture.project, l7PolicyID: tree.policy, type: .path,
                compareType: .equalTo, value: "/\(index)")
            try await fixture.activate(.l7Rule(rule))
        }
        let rule = L7Rule(
            id: "rule-51", projectID: fixture.project, l7PolicyID: tree.policy, type: .path, compareType: .equalTo,
            value: "/51")
        try await expectRefused(fixture, .conflict) {
            _ = try await fixture.store.create(.l7Rule(rule), options: .init(), task: fixture.task())
        }
    }

    @Test("a duplicate id is 409")
    func duplicateID() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let lb = try await fixture.activeLoadBalancer()
        try await expectRefused(fixture, .conflict) {
            _ = try await fixture.store.create(
                .loadBalancer(LoadBalancer(id: lb.id, projectID: fixture.project, vipSubnetID: "private-subnet")),
                options: .init(), task: fixture.task())
        }
    }

    @Test("another project's objects are not found (404), never touched")
    func projectIsolation() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let foreign = Listener(
            id: fixture.ids.next(), projectID: "project-b", loadBalancerID: tree.lb, protocol: .tcp, protocolPort: 81)
        try await expectRefused(fixture, .notFound) {
            _ = try await fixture.store.create(.listener(foreign), options: .init(), task: fixture.task())
        }
        try await expectRefused(fixture, .notFound) {
            _ = try await fixture.store.delete(
                ResourceRef(.pool, tree.pool), projectID: "project-b", cascade: false, task: fixture.task())
        }
        #expect(try await fixture.store.resource(ResourceRef(.loadBalancer, tree.lb), projectID: "project-b") == nil)
    }

    @Test("a default pool on another LB or of an incompatible protocol is 400")
    func defaultPoolRules() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let other = try await fixture.activeLoadBalancer()
        let listener = Listener(
            id: fixture.ids.next(), projectID: fixture.project, loadBalancerID: other.id, protocol: .http,
            protocolPort: 80, defaultPoolID: tree.pool)
        try await expectRefused(fixture, .invalid) {
            _ = try await fixture.store.create(.listener(listener), options: .init(), task: fixture.task())
        }
        let udpPool = Pool(
            id: fixture.ids.next(), projectID: fixture.project, loadBalancerID: tree.lb, protocol: .udp,
            lbAlgorithm: .roundRobin)
        try await fixture.activate(.pool(udpPool))
        let http = Listener(
            id: fixture.ids.next(), projectID: fixture.project, loadBalancerID: tree.lb, protocol: .http,
            protocolPort: 81, defaultPoolID: udpPool.id)
        try await expectRefused(fixture, .invalid) {
            _ = try await fixture.store.create(.listener(http), options: .init(), task: fixture.task())
        }
    }

    @Test("L7 policies keep dense positions: insert shifts, delete renumbers")
    func policyPositions() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let second = L7Policy(id: "p2", projectID: fixture.project, listenerID: tree.listener, action: .reject)
        try await fixture.activate(.l7Policy(second))
        let first = L7Policy(
            id: "p0", projectID: fixture.project, listenerID: tree.listener, action: .reject, position: 1)
        try await fixture.activate(.l7Policy(first))
        func order() async throws -> [String] {
            try await fixture.store.resources(.l7Policy, query: .init(parentID: tree.listener)).compactMap {
                resource -> (Int, String)? in
                guard case .l7Policy(let policy) = resource else { return nil }
                return (policy.position ?? 0, policy.id)
            }.sorted { $0.0 < $1.0 }.map(\.1)
        }
        #expect(try await order() == ["p0", tree.policy, "p2"])
        _ = try await fixture.store.delete(
            ResourceRef(.l7Policy, tree.policy), projectID: nil, cascade: false, task: fixture.task())
        try await fixture.completeAll()
        let positions = try await fixture.store.resources(.l7Policy, query: .init(parentID: tree.listener)).compactMap {
            resource -> Int? in
            if case .l7Policy(let policy) = resource { return policy.position }
            return nil
        }
        #expect(positions.sorted() == [1, 2])
        #expect(try await order() == ["p0", "p2"])
    }
}
