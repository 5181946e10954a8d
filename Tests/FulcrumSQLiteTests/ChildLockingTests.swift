import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import Testing

/// Locking-table rows for members, health monitors, L7 policies and rules, and amphora failover.
@Suite("Octavia locking semantics: pool children, L7, amphorae")
struct ChildLockingTests {

    enum PoolChild: String, CaseIterable, Sendable {
        case member, monitor, batch
    }

    @Test(
        "member, monitor and batch writes need the pool and LB ACTIVE and lock LB, listeners, pool",
        arguments: PoolChild.allCases, LockSet.Operation.allWrites)
    func poolChildWrites(child: PoolChild, operation: LockSet.Operation) async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let lbRef = ResourceRef(.loadBalancer, tree.lb)
        let poolRef = ResourceRef(.pool, tree.pool)
        let listenerRef = ResourceRef(.listener, tree.listener)
        let store = fixture.store
        let write: () async throws -> WriteReceipt? = {
            switch (child, operation) {
            case (.member, .create):
                let member = Member(
                    id: fixture.ids.next(), projectID: fixture.project, poolID: tree.pool, address: "198.51.100.17",
                    protocolPort: 80)
                return try await store.create(.member(member), options: .init(), task: fixture.task())
            case (.member, .update):
                return try await store.update(
                    try await store.resource(ResourceRef(.member, tree.member), projectID: nil)!, task: fixture.task())
            case (.member, _):
                return try await store.delete(
                    ResourceRef(.member, tree.member), projectID: nil, cascade: false, task: fixture.task())
            case (.monitor, .create):
                _ = try await store.delete(
                    ResourceRef(.healthMonitor, tree.monitor), projectID: nil, cascade: false, task: fixture.task())
                try await fixture.completeAll()
                let monitor = HealthMonitor(
                    id: fixture.ids.next(), projectID: fixture.project, poolID: tree.pool, type: .tcp, delay: 5,
                    timeout: 5, maxRetries: 3)
                return try await store.create(.healthMonitor(monitor), options: .init(), task: fixture.task())
            case (.monitor, .update):
                return try await store.update(
                    try await store.resource(ResourceRef(.healthMonitor, tree.monitor), projectID: nil)!,
                    task: fixture.task())
            case (.monitor, _):
                return try await store.delete(
                    ResourceRef(.healthMonitor, tree.monitor), projectID: nil, cascade: false, task: fixture.task())
            case (.batch, let op):
                var members: [Member] = []
                if op != .delete {
                    var kept = Member(
                        id: "ignored", projectID: fixture.project, poolID: tree.pool, address: "198.51.100.16",
                        protocolPort: 80)
                    if op == .update { kept.weight = 5 }
                    members.append(kept)
                }
                if op == .create {
                    members.append(
                        Member(
                            id: fixture.ids.next(), projectID: fixture.project, poolID: tree.pool,
                            address: "198.51.100.18", protocolPort: 80))
                }
                return try await store.replaceMembers(
                    poolID: tree.pool, projectID: fixture.project, members: members, additiveOnly: false,
                    task: fixture.task())
            }
        }
        if !(child == .monitor && operation == .create) {
            for status in LockingTests.notMutable {
                try await fixture.force([.provisioning(poolRef, status)])
                try await expectRefused(fixture, .immutable) { _ = try await write() }
                try await fixture.force([.provisioning(poolRef, .active), .provisioning(lbRef, status)])
                try await expectRefused(fixture, .immutable) { _ = try await write() }
                try await fixture.force([.provisioning(lbRef, .active)])
            }
        }
        let receipt = try #require(try await write())
        #expect(receipt.lockSet.parents == [lbRef, listenerRef, poolRef])
        for parent in receipt.lockSet.parents { #expect(try await fixture.status(parent) == .pendingUpdate) }
        let item = try #require(receipt.lockSet.objects.first)
        #expect(item.operation == operation)
        #expect(try await fixture.status(item.ref) == operation.pendingStatus)
    }

    @Test("L7 policy writes need the LB ACTIVE and lock LB and listener", arguments: LockSet.Operation.allWrites)
    func l7PolicyWrites(operation: LockSet.Operation) async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let lbRef = ResourceRef(.loadBalancer, tree.lb)
        let store = fixture.store
        let write: () async throws -> WriteReceipt = {
            switch operation {
            case .create:
                let policy = L7Policy(
                    id: fixture.ids.next(), projectID: fixture.project, listenerID: tree.listener,
                    action: .redirectToPool, redirectPoolID: tree.pool)
                return try await store.create(.l7Policy(policy), options: .init(), task: fixture.task())
            case .update:
                return try await store.update(
                    try await store.resource(ResourceRef(.l7Policy, tree.policy), projectID: nil)!, task: fixture.task()
                )
            default:
                return try await store.delete(
                    ResourceRef(.l7Policy, tree.policy), projectID: nil, cascade: false, task: fixture.task())
            }
        }
        for status in LockingTests.notMutable {
            try await fixture.force([.provisioning(lbRef, status)])
            try await expectRefused(fixture, .immutable) { _ = try await write() }
        }
        try await fixture.force([.provisioning(lbRef, .active)])
        let receipt = try await write()
        #expect(receipt.lockSet.parents == [lbRef, ResourceRef(.listener, tree.listener)])
        #expect(try await fixture.status(receipt.lockSet.object) == operation.pendingStatus)
    }

    @Test(
        "L7 rule writes need the LB and policy ACTIVE and lock LB, listener, policy",
        arguments: LockSet.Operation.allWrites)
    func l7RuleWrites(operation: LockSet.Operation) async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let lbRef = ResourceRef(.loadBalancer, tree.lb)
        let policyRef = ResourceRef(.l7Policy, tree.policy)
        let store = fixture.store
        let write: () async throws -> WriteReceipt = {
            switch operation {
            case .create:
                let rule = L7Rule(
                    id: fixture.ids.next(), projectID: fixture.project, l7PolicyID: tree.policy, type: .hostName,
                    compareType: .equalTo, value: "example.test")
                return try await store.create(.l7Rule(rule), options: .init(), task: fixture.task())
            case .update:
                return try await store.update(
                    try await store.resource(ResourceRef(.l7Rule, tree.rule), projectID: nil)!, task: fixture.task())
            default:
                return try await store.delete(
                    ResourceRef(.l7Rule, tree.rule), projectID: nil, cascade: false, task: fixture.task())
            }
        }
        for status in LockingTests.notMutable {
            try await fixture.force([.provisioning(policyRef, status)])
            try await expectRefused(fixture, .immutable) { _ = try await write() }
            try await fixture.force([.provisioning(policyRef, .active), .provisioning(lbRef, status)])
            try await expectRefused(fixture, .immutable) { _ = try await write() }
            try await fixture.force([.provisioning(lbRef, .active)])
        }
        let receipt = try await write()
        #expect(receipt.lockSet.parents == [lbRef, ResourceRef(.listener, tree.listener), policyRef])
        #expect(try await fixture.status(receipt.lockSet.object) == operation.pendingStatus)
    }

    @Test("amphora failover needs its LB ACTIVE and sets it PENDING_UPDATE")
    func amphoraFailover() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let lb = try await fixture.activeLoadBalancer()
        let lbRef = ResourceRef(.loadBalancer, lb.id)
        let amphora = Amphora(id: "amp-1", loadBalancerID: lb.id, role: .standalone, status: .allocated)
        try await fixture.store.insertAmphora(amphora)
        for status in LockingTests.notMutable {
            try await fixture.force([.provisioning(lbRef, status)])
            try await expectRefused(fixture, .immutable) {
                _ = try await fixture.store.failoverAmphora(id: amphora.id, task: fixture.task())
            }
        }
        try await fixture.force([.provisioning(lbRef, .active)])
        let receipt = try await fixture.store.failoverAmphora(id: amphora.id, task: fixture.task())
        #expect(receipt.lockSet.parents == [lbRef])
        #expect(try await fixture.status(lbRef) == .pendingUpdate)
        // A failed amphora failover puts the amphora and the LB in ERROR (never PENDING).
        #expect(receipt.lockSet.onFailure == [.amphoraStatus(id: "amp-1", .error), .provisioning(lbRef, .error)])
    }
}
