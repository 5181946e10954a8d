import Foundation
import FulcrumDrivers
import FulcrumHousekeeping
import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import Logging
import MetricsTestKit
import Testing

/// The rebuild and purge scans on the real SQLite store with the in-memory compute driver.
@Suite("Housekeeping scans")
struct RebuildServiceTests {
    /// `count` ACTIVE load balancers, each with one ALLOCATED amphora whose VM runs.
    func fleet(_ fixture: StoreFixture, compute: MemoryComputeDriver, count: Int) async throws -> [Amphora] {
        var amphorae: [Amphora] = []
        for index in 1...count {
            let lb = try await fixture.activeLoadBalancer()
            let amphora = Amphora(
                id: "amp-\(index)", loadBalancerID: lb.id, role: .standalone, status: .allocated,
                createdAt: fixture.clock.now().addingTimeInterval(Double(index)))
            try await fixture.store.insertAmphora(amphora)
            _ = try await compute.build(
                AmphoraSpec(
                    amphoraID: amphora.id, image: AmphoraImage(kernelPath: "/k", initrdPath: "/i"),
                    nics: [NICSpec(bridge: "br")]))
            amphorae.append(amphora)
        }
        return amphorae
    }

    func service(
        _ fixture: StoreFixture, _ compute: MemoryComputeDriver, _ metrics: TestMetrics, maxRebuilds: Int
    ) -> RebuildService {
        RebuildService(
            store: fixture.store, compute: compute,
            policy: .init(maxRebuilds: maxRebuilds, maxFleetFraction: 1), interval: .seconds(1),
            metrics: HousekeepingMetrics(factory: metrics), clock: fixture.clock, logger: Logger(label: "test"))
    }

    @Test("circuit breaker: 3 VMs destroyed with a threshold of 2 → 2 rebuilds, alert set; raised to 5 → the third")
    func circuitBreaker() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let compute = MemoryComputeDriver()
        let amphorae = try await fleet(fixture, compute: compute, count: 4)
        for amphora in amphorae.prefix(3) { try await compute.delete(amphora.id) }
        let metrics = TestMetrics()
        let decision = await service(fixture, compute, metrics, maxRebuilds: 2).scan()
        #expect(decision.rebuild.map(\.id) == ["amp-1", "amp-2"])
        #expect(decision.held == ["amp-3"])
        #expect(try metrics.expectGauge("fulcrum_housekeeping_circuit_breaker_open").lastValue == 1)
        #expect(try metrics.expectGauge("fulcrum_housekeeping_rebuilds_held").lastValue == 1)
        #expect(
            try metrics.expectCounter("fulcrum_housekeeping_rebuilds_total", [("reason", "vanished")]).totalValue == 2)
        #expect(try await fixture.store.unfinishedTaskCount(kind: "amphora.failover") == 2)
        let rebuilt = try #require(try await fixture.store.amphora(id: "amp-1")?.loadBalancerID)
        #expect(try await fixture.status(ResourceRef(.loadBalancer, rebuilt)) == .pendingUpdate)
        // The operator raises the threshold (a restart with the new configuration): the held one is rebuilt.
        let raised = TestMetrics()
        let next = await service(fixture, compute, raised, maxRebuilds: 5).scan()
        #expect(next.rebuild.map(\.id) == ["amp-3"], "amp-1 and amp-2 have their rebuild queued: LB busy, not judged")
        #expect(try raised.expectGauge("fulcrum_housekeeping_circuit_breaker_open").lastValue == 0)
        #expect(try await fixture.store.unfinishedTaskCount(kind: "amphora.failover") == 3)
    }

    @Test("an ERROR amphora of an ERROR load balancer is rebuilt (a failed rebuild is not abandoned)")
    func errorRetried() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let compute = MemoryComputeDriver()
        let amphora = try #require(try await fleet(fixture, compute: compute, count: 1).first)
        let lbID = try #require(amphora.loadBalancerID)
        try await fixture.force([
            .amphoraStatus(id: amphora.id, .error), .provisioning(ResourceRef(.loadBalancer, lbID), .error),
        ])
        let decision = await service(fixture, compute, TestMetrics(), maxRebuilds: 4).scan()
        #expect(decision.rebuild == [.init(id: amphora.id, reason: .error)])
        #expect(try await fixture.status(ResourceRef(.loadBalancer, lbID)) == .pendingUpdate)
    }

    @Test("purge removes orphan VMs (no row, or a DELETED row) and keeps the live ones")
    func orphans() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let compute = MemoryComputeDriver()
        var amphorae = try await fleet(fixture, compute: compute, count: 2)
        amphorae[1].status = .deleted
        try await fixture.store.updateAmphora(amphorae[1])
        let image = AmphoraImage(kernelPath: "/k", initrdPath: "/i")
        _ = try await compute.build(AmphoraSpec(amphoraID: "ghost", image: image, nics: [NICSpec(bridge: "br")]))
        let purge = PurgeService(
            store: fixture.store, compute: compute, interval: .seconds(1), loadBalancerExpiryAge: .seconds(60),
            amphoraExpiryAge: .seconds(60), metrics: HousekeepingMetrics(factory: TestMetrics()),
            clock: fixture.clock, logger: Logger(label: "test"))
        #expect(Set(await purge.scan()) == ["amp-2", "ghost"])
        #expect(try await compute.list().map(\.amphoraID) == ["amp-1"])
    }
}
