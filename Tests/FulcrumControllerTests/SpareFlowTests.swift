import FulcrumController
import FulcrumDrivers
import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import FulcrumWire
import Testing

/// Spare amphorae: built unassigned, taken by a SINGLE create or a STANDALONE replacement.
@Suite("Spare flows")
struct SpareFlowTests {
    typealias Harness = LoadBalancerFlowTests.Harness

    func buildSpare(_ h: Harness) async throws -> Amphora {
        _ = try await h.fixture.store.queue.enqueue(
            TaskRequest(kind: "amphora.spare", payload: #"{"vip_subnet_id":"private-subnet"}"#))
        #expect(try await h.work().isEmpty)
        let spares = try await h.fixture.store.amphorae(loadBalancerID: nil, includeDeleted: false)
            .filter { $0.status == .ready }
        return try #require(spares.last)
    }

    @Test("a spare boots with its VIP NIC on the subnet, no VIP and an empty configuration; it is READY")
    func spare() async throws {
        let h = try await Harness()
        defer { h.fixture.directory.remove() }
        let spare = try await buildSpare(h)
        #expect(spare.loadBalancerID == nil && spare.role == nil && spare.vipSubnetID == "private-subnet")
        let spec = try #require(await h.compute.builtSpecs.last)
        #expect(spec.nics.map(\.bridge) == ["fulcrum-mgmt", "fulcrum-private"])
        #expect(spec.bootParameters["vip"] == nil)
        let file = try WireJSON.decode(AgentConfigFile.self, from: try #require(spec.secrets["agent.json"]))
        #expect(file.amphora.listeners.isEmpty && file.amphora.vip.isEmpty)
    }

    @Test(
        "a SINGLE create takes the spare (no boot) and pushes the configuration; a STANDALONE failover takes the next")
    func createTakesSpare() async throws {
        let h = try await Harness()
        defer { h.fixture.directory.remove() }
        let spare = try await buildSpare(h)
        let lb = LoadBalancer(id: "lb-1", projectID: h.fixture.project, vipSubnetID: "private-subnet")
        _ = try await h.fixture.store.create(
            .loadBalancer(lb), options: .init(), task: TaskRequest(kind: "loadbalancer.create"))
        #expect(try await h.work().isEmpty)
        #expect(try await h.fixture.status(ResourceRef(.loadBalancer, "lb-1")) == .active)
        #expect(await h.compute.builtSpecs.count == 1, "no VM booted for the load balancer")
        let taken = try #require(try await h.fixture.store.amphora(id: spare.id))
        #expect(taken.loadBalancerID == "lb-1" && taken.role == .standalone && taken.status == .allocated)
        #expect(taken.haIP == "198.51.100.10")
        #expect(await h.agents.applied[spare.id]?.last?.vip == "198.51.100.10")
        #expect(
            await h.agents.applied[spare.id]?.last?.vipInterface == VIPInterface(name: "eth1", prefixLength: 24),
            "the agent adds the VIP the spare booted without")
        // A second spare, then a failover of the STANDALONE amphora: the replacement is that spare.
        let next = try await buildSpare(h)
        _ = try await h.fixture.store.failoverAmphora(id: spare.id, task: TaskRequest(kind: "amphora.failover"))
        #expect(try await h.work().isEmpty)
        let live = try await h.fixture.store.amphorae(loadBalancerID: "lb-1", includeDeleted: false)
        #expect(live.map(\.id) == [next.id])
        #expect(try await h.fixture.status(ResourceRef(.loadBalancer, "lb-1")) == .active)
    }

    @Test("without a spare, a SINGLE create boots a VM as before")
    func noSpare() async throws {
        let h = try await Harness()
        defer { h.fixture.directory.remove() }
        let lb = LoadBalancer(id: "lb-1", projectID: h.fixture.project, vipSubnetID: "private-subnet")
        _ = try await h.fixture.store.create(
            .loadBalancer(lb), options: .init(), task: TaskRequest(kind: "loadbalancer.create"))
        #expect(try await h.work().isEmpty)
        #expect(await h.compute.builtSpecs.count == 1)
        #expect(await h.compute.builtSpecs.first?.bootParameters["vip"] == "198.51.100.10/24")
    }
}
