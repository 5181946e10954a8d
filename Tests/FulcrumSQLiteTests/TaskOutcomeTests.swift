import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import Testing

/// Completion and dead-letter writes land in the store atomically with the task's state.
@Suite("Task outcomes in the store")
struct TaskOutcomeTests {
    @Test("a listener create whose task exhausts its attempts ends ERROR with the LB back to ACTIVE")
    func deadLetterRevertsChild() async throws {
        let fixture = try await StoreFixture(queue: QueueConfiguration(maxAttempts: 2, backoffBase: .seconds(1)))
        defer { fixture.directory.remove() }
        let lb = try await fixture.activeLoadBalancer()
        let listener = Listener(
            id: "l1", projectID: fixture.project, loadBalancerID: lb.id, protocol: .http, protocolPort: 80)
        let receipt = try await fixture.store.create(
            .listener(listener), options: .init(), task: fixture.task("listener.create"))
        for _ in 0..<2 {
            let claimed = try #require(try await fixture.store.queue.claim(owner: "w"))
            #expect(claimed.task.id == receipt.taskID)
            #expect(claimed.task.lockSet == receipt.lockSet)
            _ = try await fixture.store.queue.fail(claimed.lease, error: "compute unavailable", retryable: true)
            fixture.clock.advance(by: .seconds(5))
        }
        #expect(try await fixture.store.queue.task(id: receipt.taskID)?.state == .dead)
        #expect(try await fixture.status(ResourceRef(.listener, "l1")) == .error)
        #expect(try await fixture.status(ResourceRef(.loadBalancer, lb.id)) == .active)
    }

    @Test("a failed load-balancer create dead-letters into LB ERROR")
    func deadLetterLoadBalancer() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let lb = LoadBalancer(id: "lb-x", projectID: fixture.project, vipSubnetID: "private-subnet")
        _ = try await fixture.store.create(
            .loadBalancer(lb), options: .init(), task: fixture.task("loadbalancer.create"))
        let claimed = try #require(try await fixture.store.queue.claim(owner: "w"))
        #expect(try await fixture.store.queue.fail(claimed.lease, error: "no image", retryable: false) == .dead)
        #expect(try await fixture.status(ResourceRef(.loadBalancer, "lb-x")) == .error)
    }

    @Test("a holder that lost its lease cannot complete, and its writes are not applied")
    func lostLeaseWritesNothing() async throws {
        let fixture = try await StoreFixture(queue: QueueConfiguration(leaseDuration: .seconds(10)))
        defer { fixture.directory.remove() }
        let lb = LoadBalancer(id: "lb-y", projectID: fixture.project, vipSubnetID: "private-subnet")
        _ = try await fixture.store.create(.loadBalancer(lb), options: .init(), task: fixture.task())
        let first = try #require(try await fixture.store.queue.claim(owner: "slow"))
        fixture.clock.advance(by: .seconds(11))
        let second = try #require(try await fixture.store.queue.claim(owner: "fast"))
        await #expect(throws: QueueError.self) {
            try await fixture.store.queue.complete(
                first.lease, changes: [.provisioning(ResourceRef(.loadBalancer, "lb-y"), .error)])
        }
        #expect(try await fixture.status(ResourceRef(.loadBalancer, "lb-y")) == .pendingCreate)
        try await fixture.store.queue.complete(second.lease, changes: second.task.lockSet?.onSuccess ?? [])
        #expect(try await fixture.status(ResourceRef(.loadBalancer, "lb-y")) == .active)
        let events = try await fixture.store.queue.history(taskID: second.task.id).map(\.event)
        #expect(events == ["claimed", "lease_expired", "claimed", "completed"])
    }

    @Test("a batch member update locks every member and reverts each to ERROR on failure")
    func batchMembers() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tree = try await fixture.activeTree()
        let members = [
            Member(
                id: "new-1", projectID: fixture.project, poolID: tree.pool, address: "198.51.100.17", protocolPort: 80),
            Member(
                id: "new-2", projectID: fixture.project, poolID: tree.pool, address: "198.51.100.18", protocolPort: 80),
        ]
        let receipt = try #require(
            try await fixture.store.replaceMembers(
                poolID: tree.pool, projectID: fixture.project, members: members, additiveOnly: false,
                task: fixture.task()))
        #expect(Set(receipt.lockSet.objects.map(\.operation)) == [.create, .delete])
        #expect(try await fixture.status(ResourceRef(.member, tree.member)) == .pendingDelete)
        // Same request again while locked: 409; identical request once ACTIVE: no-op (nil).
        await #expect(throws: StoreError.self) {
            _ = try await fixture.store.replaceMembers(
                poolID: tree.pool, projectID: fixture.project, members: members, additiveOnly: false,
                task: fixture.task())
        }
        try await fixture.completeAll()
        #expect(try await fixture.store.resource(ResourceRef(.member, tree.member), projectID: nil) == nil)
        #expect(try await fixture.status(ResourceRef(.member, "new-1")) == .active)
        let again = try await fixture.store.replaceMembers(
            poolID: tree.pool, projectID: fixture.project, members: members, additiveOnly: true, task: fixture.task())
        #expect(again == nil)
    }
}
