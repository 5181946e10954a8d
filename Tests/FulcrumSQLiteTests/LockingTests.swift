import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import Testing

/// Reference §3's locking table, row by row: preconditions (409), what gets `PENDING_*`, and
/// that a refused write changes nothing.
@Suite("Octavia locking semantics")
struct LockingTests {
    static let notMutable: [ProvisioningStatus] = [.pendingCreate, .pendingUpdate, .pendingDelete, .error]

    @Test("LB PUT needs ACTIVE and sets only the LB PENDING_UPDATE", arguments: notMutable)
    func loadBalancerUpdate(status: ProvisioningStatus) async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        var lb = try await fixture.fetch(.loadBalancer, tree.lb)
        lb.name = "renamed"
        let receipt = try await fixture.store.update(.loadBalancer(lb), task: fixture.task())
        #expect(receipt.lockSet.parents.isEmpty)
        #expect(try await fixture.status(ResourceRef(.loadBalancer, tree.lb)) == .pendingUpdate)
        #expect(try await fixture.status(ResourceRef(.listener, tree.listener)) == .active)
        try await fixture.force([.provisioning(ResourceRef(.loadBalancer, tree.lb), status)])
        try await expectRefused(fixture, .immutable) {
            _ = try await fixture.store.update(.loadBalancer(lb), task: fixture.task())
        }
    }

    @Test("LB DELETE needs ACTIVE or ERROR", arguments: ProvisioningStatus.allCases.filter { $0 != .deleted })
    func loadBalancerDelete(status: ProvisioningStatus) async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let lb = try await fixture.activeLoadBalancer()
        let ref = ResourceRef(.loadBalancer, lb.id)
        try await fixture.force([.provisioning(ref, status)])
        if status == .active || status == .error {
            _ = try await fixture.store.delete(ref, projectID: nil, cascade: false, task: fixture.task())
            #expect(try await fixture.status(ref) == .pendingDelete)
        } else {
            try await expectRefused(fixture, .immutable) {
                _ = try await fixture.store.delete(ref, projectID: nil, cascade: false, task: fixture.task())
            }
        }
    }

    @Test("LB DELETE with children needs cascade (400) and leaves children untouched")
    func loadBalancerDeleteChildren() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let ref = ResourceRef(.loadBalancer, tree.lb)
        try await expectRefused(fixture, .invalid) {
            _ = try await fixture.store.delete(ref, projectID: nil, cascade: false, task: fixture.task())
        }
        let receipt = try await fixture.store.delete(ref, projectID: nil, cascade: true, task: fixture.task())
        #expect(receipt.lockSet.object == ref)
        #expect(try await fixture.status(ref) == .pendingDelete)
        #expect(try await fixture.status(ResourceRef(.pool, tree.pool)) == .active)
        // Completing the delete soft-deletes the LB, removes its children and frees the VIP.
        try await fixture.completeAll()
        #expect(try await fixture.store.resource(ref, projectID: nil) == nil)
        let kept = try await fixture.store.resources(.loadBalancer, query: .init(includeDeleted: true))
        #expect(kept.map(\.provisioningStatus) == [.deleted])
        #expect(try await fixture.store.resource(ResourceRef(.member, tree.member), projectID: nil) == nil)
        #expect(try await fixture.store.allocations(subnetID: "private-subnet").isEmpty)
    }

    @Test(
        "LB failover needs ACTIVE or ERROR and sets PENDING_UPDATE",
        arguments: ProvisioningStatus.allCases.filter { $0 != .deleted })
    func loadBalancerFailover(status: ProvisioningStatus) async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let lb = try await fixture.activeLoadBalancer()
        let ref = ResourceRef(.loadBalancer, lb.id)
        try await fixture.force([.provisioning(ref, status)])
        if status == .active || status == .error {
            _ = try await fixture.store.failoverLoadBalancer(id: lb.id, projectID: nil, task: fixture.task())
            #expect(try await fixture.status(ref) == .pendingUpdate)
        } else {
            try await expectRefused(fixture, .immutable) {
                _ = try await fixture.store.failoverLoadBalancer(id: lb.id, projectID: nil, task: fixture.task())
            }
        }
    }

    @Test("listener POST/PUT/DELETE lock the LB", arguments: LockSet.Operation.allWrites)
    func listenerWrites(operation: LockSet.Operation) async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let lbRef = ResourceRef(.loadBalancer, tree.lb)
        let existing = try await fixture.store.resource(ResourceRef(.listener, tree.listener), projectID: nil)!
        let new = Listener(
            id: fixture.ids.next(), projectID: fixture.project, loadBalancerID: tree.lb, protocol: .tcp,
            protocolPort: 8080)
        let write: () async throws -> WriteReceipt = {
            switch operation {
            case .create: try await fixture.store.create(.listener(new), options: .init(), task: fixture.task())
            case .update: try await fixture.store.update(existing, task: fixture.task())
            default: try await fixture.store.delete(existing.ref, projectID: nil, cascade: false, task: fixture.task())
            }
        }
        for status in Self.notMutable {
            try await fixture.force([.provisioning(lbRef, status)])
            try await expectRefused(fixture, .immutable) { _ = try await write() }
        }
        try await fixture.force([.provisioning(lbRef, .active)])
        let receipt = try await write()
        #expect(receipt.lockSet.parents == [lbRef])
        #expect(try await fixture.status(lbRef) == .pendingUpdate)
        #expect(try await fixture.status(receipt.lockSet.object) == operation.pendingStatus)
    }

    @Test("pool POST/PUT/DELETE lock the LB and the listeners using the pool", arguments: LockSet.Operation.allWrites)
    func poolWrites(operation: LockSet.Operation) async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let lbRef = ResourceRef(.loadBalancer, tree.lb)
        let listenerRef = ResourceRef(.listener, tree.listener)
        // A second pool used by nothing, so that delete is allowed (the first has an L7 rule's policy? no: REJECT).
        let existing = try await fixture.store.resource(ResourceRef(.pool, tree.pool), projectID: nil)!
        let new = Pool(
            id: fixture.ids.next(), projectID: fixture.project, loadBalancerID: tree.lb, protocol: .http,
            lbAlgorithm: .leastConnections)
        let write: () async throws -> WriteReceipt = {
            switch operation {
            case .create: try await fixture.store.create(.pool(new), options: .init(), task: fixture.task())
            case .update: try await fixture.store.update(existing, task: fixture.task())
            default: try await fixture.store.delete(existing.ref, projectID: nil, cascade: false, task: fixture.task())
            }
        }
        for status in Self.notMutable {
            try await fixture.force([.provisioning(lbRef, status)])
            try await expectRefused(fixture, .immutable) { _ = try await write() }
        }
        try await fixture.force([.provisioning(lbRef, .active)])
        let receipt = try await write()
        let expectedParents = operation == .create ? [lbRef] : [lbRef, listenerRef]
        #expect(receipt.lockSet.parents == expectedParents)
        for parent in expectedParents { #expect(try await fixture.status(parent) == .pendingUpdate) }
        #expect(try await fixture.status(receipt.lockSet.object) == operation.pendingStatus)
    }
}

extension LockSet.Operation {
    static let allWrites: [LockSet.Operation] = [.create, .update, .delete]

    var pendingStatus: ProvisioningStatus {
        switch self {
        case .create: .pendingCreate
        case .update, .failover: .pendingUpdate
        case .delete: .pendingDelete
        }
    }
}
