import FulcrumController
import FulcrumDrivers
import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import FulcrumWire
import Testing

/// ACTIVE_STANDBY builds and the failover flows on the real SQLite store with compute and agent stand-ins.
@Suite("Failover flows")
struct FailoverFlowTests {
    typealias Harness = LoadBalancerFlowTests.Harness

    func createPair(_ h: Harness, topology: Topology = .activeStandby) async throws -> [Amphora] {
        let lb = LoadBalancer(
            id: "lb-1", projectID: h.fixture.project, vipSubnetID: "private-subnet", topology: topology)
        _ = try await h.fixture.store.create(
            .loadBalancer(lb), options: .init(), task: TaskRequest(kind: "loadbalancer.create"))
        #expect(try await h.work().isEmpty)
        #expect(try await h.fixture.status(ResourceRef(.loadBalancer, "lb-1")) == .active)
        return try await h.fixture.store.amphorae(loadBalancerID: "lb-1", includeDeleted: false)
            .sorted { ($0.vrrpPriority ?? 0) > ($1.vrrpPriority ?? 0) }
    }

    @Test("ACTIVE_STANDBY boots a MASTER (100) and a BACKUP (90), each with its own VRRP address, peers of each other")
    func activeStandbyCreate() async throws {
        let h = try await Harness()
        defer { h.fixture.directory.remove() }
        let pair = try await createPair(h)
        #expect(pair.map(\.role) == [.master, .backup])
        #expect(pair.map(\.vrrpPriority) == [100, 90])
        #expect(pair.allSatisfy { $0.status == .allocated && $0.haIP == "198.51.100.10" })
        let vrrp = pair.compactMap(\.vrrpIP)
        #expect(vrrp == ["198.51.100.11", "198.51.100.12"])
        let specs = await h.compute.builtSpecs
        #expect(specs.map { $0.bootParameters["vip"] } == ["198.51.100.11/24", "198.51.100.12/24"])
        #expect(specs.allSatisfy { $0.antiAffinityGroup == "lb-1" })
        #expect(pair.allSatisfy { $0.cachedZone?.contains("one compute host") == true || $0.role == .master })
        for (amphora, peer) in [(pair[0], pair[1]), (pair[1], pair[0])] {
            let config = try #require(await h.agents.applied[amphora.id]?.last)
            #expect(config.vip == "198.51.100.10")
            #expect(config.peers == [peer.vrrpIP].compactMap { $0 })
            #expect(config.role == (amphora.role == .master ? .master : .backup))
            let vrrp = try #require(config.vrrp)
            #expect(vrrp.address == amphora.vrrpIP && vrrp.interface == "eth1" && vrrp.vipPrefixLength == 24)
            #expect(vrrp.authKey == VRRPConfig.derivedKey(secret: "the-deployment-heartbeat-key", group: "lb-1"))
            #expect(vrrp.authKey.count == 32 && config.vipInterface == nil)
        }
    }

    @Test("amphora failover retires the failed MASTER, rebuilds it with the same role and VRRP address; LB ACTIVE")
    func amphoraFailover() async throws {
        let h = try await Harness()
        defer { h.fixture.directory.remove() }
        let pair = try await createPair(h)
        _ = try await h.fixture.store.failoverAmphora(id: pair[0].id, task: TaskRequest(kind: "amphora.failover"))
        #expect(try await h.work().isEmpty)
        #expect(try await h.fixture.status(ResourceRef(.loadBalancer, "lb-1")) == .active)
        #expect(try await h.fixture.store.amphora(id: pair[0].id)?.status == .deleted)
        let live = try await h.fixture.store.amphorae(loadBalancerID: "lb-1", includeDeleted: false)
        #expect(live.count == 2)
        let replacement = try #require(live.first { $0.id != pair[1].id })
        #expect(replacement.role == .master && replacement.vrrpIP == pair[0].vrrpIP)
        #expect(replacement.status == .allocated)
        #expect(try await h.compute.list().map(\.amphoraID).sorted() == [pair[1].id, replacement.id].sorted())
        #expect(await h.agents.applied[pair[1].id]?.last?.peers == [pair[0].vrrpIP].compactMap { $0 })
    }

    @Test("a replacement that fails is reverted and retried; the re-run converges and the LB ends ACTIVE")
    func failoverRetry() async throws {
        let h = try await Harness(agentWaitAttempts: 2)
        defer { h.fixture.directory.remove() }
        let pair = try await createPair(h)
        await h.agents.setUnreachable("amp-0003")
        _ = try await h.fixture.store.failoverAmphora(id: pair[1].id, task: TaskRequest(kind: "amphora.failover"))
        #expect(try await h.work().count == 1, "first attempt failed, retry scheduled")
        #expect(try await h.fixture.store.amphora(id: "amp-0003")?.status == .deleted, "the half-built one reverted")
        h.fixture.clock.advance(by: .seconds(120))
        #expect(try await h.work().isEmpty)
        let live = try await h.fixture.store.amphorae(loadBalancerID: "lb-1", includeDeleted: false)
        #expect(Set(live.map(\.role)) == [.master, .backup])
        #expect(live.first { $0.role == .backup }?.vrrpIP == pair[1].vrrpIP)
        #expect(try await h.fixture.status(ResourceRef(.loadBalancer, "lb-1")) == .active)
    }

    @Test(
        "load-balancer failover replaces the BACKUP first, then the MASTER",
        arguments: [Topology.activeStandby, .single])
    func loadBalancerFailover(_ topology: Topology) async throws {
        let h = try await Harness()
        defer { h.fixture.directory.remove() }
        let before = try await createPair(h, topology: topology)
        _ = try await h.fixture.store.failoverLoadBalancer(
            id: "lb-1", projectID: nil, task: TaskRequest(kind: "loadbalancer.failover"))
        #expect(try await h.work().isEmpty)
        #expect(try await h.fixture.status(ResourceRef(.loadBalancer, "lb-1")) == .active)
        let after = try await h.fixture.store.amphorae(loadBalancerID: "lb-1", includeDeleted: false)
        #expect(after.count == before.count)
        #expect(Set(after.map(\.id)).isDisjoint(with: before.map(\.id)))
        #expect(Set(after.map(\.role)) == Set(before.map(\.role)))
        // Built in order: the original ones, then the BACKUP's replacement before the MASTER's.
        let roles = await h.compute.builtSpecs.dropFirst(before.count).map { spec in
            after.first { $0.id == spec.amphoraID }?.role
        }
        #expect(roles == (topology == .single ? [.standalone] : [.backup, .master]))
    }
}
