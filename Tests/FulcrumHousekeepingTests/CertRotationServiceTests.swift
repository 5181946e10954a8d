import Foundation
import FulcrumCertificates
import FulcrumDrivers
import FulcrumHousekeeping
import FulcrumModel
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import FulcrumWire
import Logging
import MetricsTestKit
import Testing

@Suite("Certificate rotation")
struct CertRotationServiceTests {
    @Test("certificates ending within the buffer are re-issued, pushed and recorded; others and failures wait")
    func rotation() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        // The CA stamps certificates with the real time, so the service judges by the real clock too.
        let now = Date()
        let soon = Amphora(
            id: "soon", lbNetworkIP: "203.0.113.10", certExpiration: now.addingTimeInterval(3_600), status: .ready)
        let later = Amphora(
            id: "later", lbNetworkIP: "203.0.113.11", certExpiration: now.addingTimeInterval(90 * 86_400),
            status: .ready)
        let unreachable = Amphora(
            id: "down", lbNetworkIP: "203.0.113.12", certExpiration: now.addingTimeInterval(60), status: .ready)
        for amphora in [soon, later, unreachable] { try await fixture.store.insertAmphora(amphora) }
        let agents = RecordingAmphoraDriver()
        await agents.setUnreachable("down")
        let ca = try LocalCertificateAuthority.loadOrCreate(directory: fixture.directory.path + "/ca")
        let metrics = TestMetrics()
        let service = CertRotationService(
            store: fixture.store, agents: agents, certificates: ca, agentPort: 9443, validity: .seconds(30 * 86_400),
            buffer: .seconds(14 * 86_400), interval: .seconds(60), metrics: HousekeepingMetrics(factory: metrics),
            clock: SystemWallClock(), logger: Logger(label: "test"))
        #expect(await service.scan() == ["soon"])
        let pushed = try #require(await agents.rotations["soon"]?.first)
        #expect(pushed.certificateChainPem.contains("BEGIN CERTIFICATE"))
        let expiration = try #require(try await fixture.store.amphora(id: "soon")?.certExpiration)
        #expect(expiration > now.addingTimeInterval(29 * 86_400))
        #expect(try metrics.expectCounter("fulcrum_housekeeping_certificates_rotated_total").totalValue == 1)
        #expect(
            try metrics.expectCounter("fulcrum_housekeeping_certificate_rotation_failures_total").totalValue == 1)
        #expect(try await fixture.store.amphora(id: "down")?.status == .ready, "a failed push does not ERROR it")
        await agents.setUnreachable("down", false)
        #expect(await service.scan() == ["down"], "retried on the next scan")
    }
}
