import FulcrumModel
import Testing

@Suite("LockSet success and revert writes (reference §3)")
struct LockSetTests {
    static let lb = ResourceRef(.loadBalancer, "lb")
    static let listener = ResourceRef(.listener, "l1")
    static let pool = ResourceRef(.pool, "p1")
    static let member = ResourceRef(.member, "m1")
    static let amphora = ResourceRef(.amphora, "a1")

    @Test("creating a child: child ACTIVE and parents ACTIVE; revert: child ERROR, parents ACTIVE")
    func childCreate() {
        let locks = LockSet(object: Self.member, operation: .create, parents: [Self.lb, Self.listener, Self.pool])
        #expect(
            locks.onSuccess == [
                .provisioning(Self.member, .active), .provisioning(Self.lb, .active),
                .provisioning(Self.listener, .active), .provisioning(Self.pool, .active),
            ])
        #expect(
            locks.onFailure == [
                .provisioning(Self.member, .error), .provisioning(Self.lb, .active),
                .provisioning(Self.listener, .active), .provisioning(Self.pool, .active),
            ])
    }

    @Test("deleting a child removes its row")
    func childDelete() {
        let locks = LockSet(object: Self.pool, operation: .delete, parents: [Self.lb])
        #expect(locks.onSuccess == [.remove(Self.pool), .provisioning(Self.lb, .active)])
        #expect(locks.onFailure == [.provisioning(Self.pool, .error), .provisioning(Self.lb, .active)])
    }

    @Test("deleting a load balancer soft-deletes it and releases its addresses")
    func lbDelete() {
        let locks = LockSet(object: Self.lb, operation: .delete, parents: [])
        #expect(locks.onSuccess == [.provisioning(Self.lb, .deleted), .releaseAddresses(ownerID: "lb")])
        #expect(locks.onFailure == [.provisioning(Self.lb, .error)])
    }

    @Test(
        "load-balancer update and failover go ERROR on failure",
        arguments: [LockSet.Operation.update, .failover, .create])
    func lbFailure(_ operation: LockSet.Operation) {
        let locks = LockSet(object: Self.lb, operation: operation, parents: [])
        #expect(locks.onSuccess == [.provisioning(Self.lb, .active)])
        #expect(locks.onFailure == [.provisioning(Self.lb, .error)])
    }

    @Test("a failed amphora failover marks the amphora and its LB ERROR; a done one leaves it DELETED (replaced)")
    func amphoraFailover() {
        let locks = LockSet(object: Self.amphora, operation: .failover, parents: [Self.lb])
        #expect(locks.onFailure == [.amphoraStatus(id: "a1", .error), .provisioning(Self.lb, .error)])
        #expect(locks.onSuccess == [.amphoraStatus(id: "a1", .deleted), .provisioning(Self.lb, .active)])
    }
}
