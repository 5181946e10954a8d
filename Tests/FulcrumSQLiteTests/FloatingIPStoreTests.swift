import Foundation
import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import Testing

@Suite("Floating IP store")
struct FloatingIPStoreTests {
    static let loopback = IPv4Address("127.0.0.1")!

    func floatingIP(
        _ fixture: StoreFixture, lb: LoadBalancer, address: IPv4Address = loopback, port: Int = 8080,
        listenerPort: Int = 80
    ) -> FloatingIP {
        FloatingIP(
            id: fixture.ids.next(), projectID: lb.projectID, loadBalancerID: lb.id, floatingAddress: address,
            floatingPort: port, listenerPort: listenerPort, createdAt: fixture.clock.now())
    }

    @Test("stored, listed by project and by load balancer, shown, deleted")
    func lifecycle() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let first = try await fixture.activeLoadBalancer()
        let second = try await fixture.activeLoadBalancer()
        let a = try await fixture.store.createFloatingIP(floatingIP(fixture, lb: first, port: 8080))
        let b = try await fixture.store.createFloatingIP(floatingIP(fixture, lb: second, port: 8081))
        #expect(try await fixture.store.floatingIPs(projectID: fixture.project, loadBalancerID: nil) == [a, b])
        #expect(try await fixture.store.floatingIPs(projectID: nil, loadBalancerID: second.id) == [b])
        #expect(try await fixture.store.floatingIP(id: a.id, projectID: fixture.project) == a)
        try await fixture.store.deleteFloatingIP(id: a.id, projectID: fixture.project)
        #expect(try await fixture.store.floatingIP(id: a.id, projectID: nil) == nil)
        let again = await #expect(throws: StoreError.self) {
            try await fixture.store.deleteFloatingIP(id: a.id, projectID: nil)
        }
        #expect(again?.code == .notFound)
    }

    @Test("address and port are unique across projects (409); another port or address is fine")
    func uniqueness() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let mine = try await fixture.activeLoadBalancer()
        let theirs = try await fixture.activeLoadBalancer(project: "project-b")
        _ = try await fixture.store.createFloatingIP(floatingIP(fixture, lb: mine, port: 8080))
        let conflict = await #expect(throws: StoreError.self) {
            try await fixture.store.createFloatingIP(floatingIP(fixture, lb: theirs, port: 8080))
        }
        #expect(conflict?.code == .conflict)
        #expect(conflict?.message == "Floating IP 127.0.0.1:8080 is already in use.")
        _ = try await fixture.store.createFloatingIP(floatingIP(fixture, lb: theirs, port: 8081))
        _ = try await fixture.store.createFloatingIP(
            floatingIP(fixture, lb: theirs, address: IPv4Address("127.0.0.2")!, port: 8080))
        #expect(try await fixture.store.floatingIPs(projectID: nil, loadBalancerID: nil).count == 3)
    }

    @Test("another project's floating IPs are invisible: not listed, not shown, not deleted")
    func isolation() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let theirs = try await fixture.activeLoadBalancer(project: "project-b")
        let created = try await fixture.store.createFloatingIP(floatingIP(fixture, lb: theirs))
        #expect(created.projectID == "project-b")
        #expect(try await fixture.store.floatingIPs(projectID: "project-a", loadBalancerID: nil).isEmpty)
        #expect(try await fixture.store.floatingIPs(projectID: "project-a", loadBalancerID: theirs.id).isEmpty)
        #expect(try await fixture.store.floatingIP(id: created.id, projectID: "project-a") == nil)
        let refused = await #expect(throws: StoreError.self) {
            try await fixture.store.deleteFloatingIP(id: created.id, projectID: "project-a")
        }
        #expect(refused?.code == .notFound)
        #expect(try await fixture.store.floatingIP(id: created.id, projectID: "project-b") == created)
    }

    @Test("the load balancer must exist in the floating IP's project and not be going away")
    func loadBalancerChecks() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let lb = try await fixture.activeLoadBalancer()
        var wrongProject = floatingIP(fixture, lb: lb)
        wrongProject.projectID = "project-b"
        let hidden = await #expect(throws: StoreError.self) { try await fixture.store.createFloatingIP(wrongProject) }
        #expect(hidden?.code == .notFound)
        var missing = floatingIP(fixture, lb: lb)
        missing.loadBalancerID = "no-such-lb"
        let absent = await #expect(throws: StoreError.self) { try await fixture.store.createFloatingIP(missing) }
        #expect(absent?.code == .notFound)
        _ = try await fixture.store.delete(
            ResourceRef(.loadBalancer, lb.id), projectID: nil, cascade: true, task: fixture.task())
        let pending = await #expect(throws: StoreError.self) {
            try await fixture.store.createFloatingIP(floatingIP(fixture, lb: lb))
        }
        #expect(pending?.code == .immutable)
        try await fixture.completeAll()
        let deleted = await #expect(throws: StoreError.self) {
            try await fixture.store.createFloatingIP(floatingIP(fixture, lb: lb))
        }
        #expect(deleted?.code == .notFound)
    }

    @Test("targets carry the VIP; a load balancer's floating IPs go when its delete completes")
    func targetsAndDelete() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let lb = try await fixture.activeLoadBalancer()
        let kept = try await fixture.activeLoadBalancer()
        let created = try await fixture.store.createFloatingIP(floatingIP(fixture, lb: lb, listenerPort: 443))
        let other = try await fixture.store.createFloatingIP(floatingIP(fixture, lb: kept, port: 9090))
        let targets = try await fixture.store.floatingIPTargets()
        #expect(targets.map(\.floatingIP) == [created, other])
        #expect(targets.first?.vipAddress.description == lb.vipAddress)
        _ = try await fixture.store.delete(
            ResourceRef(.loadBalancer, lb.id), projectID: nil, cascade: true, task: fixture.task())
        #expect(try await fixture.store.floatingIPTargets().count == 2, "forwarded until the delete completes")
        try await fixture.completeAll()
        #expect(try await fixture.store.floatingIPs(projectID: nil, loadBalancerID: lb.id).isEmpty)
        #expect(try await fixture.store.floatingIPTargets().map(\.floatingIP) == [other])
    }
}
