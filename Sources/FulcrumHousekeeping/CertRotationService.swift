import AsyncAlgorithms
import CoreMetrics
import Foundation
public import FulcrumDrivers
public import FulcrumModel
public import FulcrumStore
import FulcrumWire
public import Logging
public import ServiceLifecycle

/// Re-issues amphora server certificates before they expire (Octavia's cert rotation): every `interval`, each
/// `ALLOCATED` or `READY` amphora whose certificate ends within `buffer` gets a new one from the controller CA,
/// pushed with `PUT /v1/certificate` (the agent saves it and serves it on new connections), and its
/// `cert_expiration` is updated. A failed push is retried on the next scan; the amphora is not put in ERROR.
public struct CertRotationService: Service {
    let store: any AmphoraStore
    let agents: any AmphoraDriver
    let certificates: any CertificateAuthority
    let agentPort: Int
    let validity: Duration
    let buffer: Duration
    let interval: Duration
    let metrics: HousekeepingMetrics
    let clock: any WallClock
    let logger: Logger

    /// Creates the service.
    public init(
        store: any AmphoraStore, agents: any AmphoraDriver, certificates: any CertificateAuthority, agentPort: Int,
        validity: Duration, buffer: Duration, interval: Duration, metrics: HousekeepingMetrics,
        clock: any WallClock = SystemWallClock(), logger: Logger
    ) {
        self.store = store
        self.agents = agents
        self.certificates = certificates
        self.agentPort = agentPort
        self.validity = validity
        self.buffer = buffer
        self.interval = interval
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
            await scan()
        }
    }

    /// One scan; returns the ids of the amphorae whose certificate it rotated.
    @discardableResult
    public func scan() async -> [String] {
        let horizon = clock.now().addingTimeInterval(buffer.timeInterval)
        let due: [Amphora]
        do {
            due = try await store.amphorae(loadBalancerID: nil, includeDeleted: false).filter {
                [.allocated, .ready].contains($0.status) && $0.lbNetworkIP != nil
                    && ($0.certExpiration ?? .distantPast) < horizon
            }
        } catch {
            metrics.scanErrors.increment()
            logger.warning("certificate scan failed", metadata: ["error": "\(error)"])
            return []
        }
        var rotated: [String] = []
        for var amphora in due {
            guard let host = amphora.lbNetworkIP else { continue }
            do {
                let issued = try certificates.issueServerCertificate(
                    commonName: amphora.id, ipAddresses: [host], validity: validity)
                try await agents.rotateCertificate(
                    CertificateRotation(
                        certificateChainPem: issued.certificatePEM, privateKeyPem: issued.privateKeyPEM),
                    at: AgentEndpoint(amphoraID: amphora.id, host: host, port: agentPort))
                // Re-read: a flow may have changed the row while the agent was called.
                if let current = try await store.amphora(id: amphora.id) { amphora = current }
                amphora.certExpiration = issued.notAfter
                try await store.updateAmphora(amphora)
                metrics.certificatesRotated.increment()
                rotated.append(amphora.id)
                logger.info(
                    "amphora certificate rotated",
                    metadata: ["amphora.id": "\(amphora.id)", "not_after": "\(issued.notAfter)"])
            } catch {
                metrics.certificateRotationFailures.increment()
                logger.warning(
                    "amphora certificate not rotated; retried next scan",
                    metadata: ["amphora.id": "\(amphora.id)", "error": "\(error)"])
            }
        }
        return rotated
    }
}
