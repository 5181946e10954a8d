import AsyncAlgorithms
import CoreMetrics
public import Foundation
public import FulcrumModel
public import FulcrumStore
public import Logging
public import ServiceLifecycle

/// Marks amphorae stale after `heartbeatTimeout` without a heartbeat (housekeeping acts on the
/// mark). Nothing is judged during the first `heartbeatTimeout` after start, so a restarted
/// health manager does not declare the whole fleet stale at once.
public struct StaleDetector: Service {
    let store: any HealthStore
    let metrics: HealthManagerMetrics
    let heartbeatTimeout: Duration
    let checkInterval: Duration
    let clock: any WallClock
    let logger: Logger

    /// Creates a detector.
    public init(
        store: any HealthStore, metrics: HealthManagerMetrics, heartbeatTimeout: Duration, checkInterval: Duration,
        clock: any WallClock = SystemWallClock(), logger: Logger
    ) {
        self.store = store
        self.metrics = metrics
        self.heartbeatTimeout = heartbeatTimeout
        self.checkInterval = checkInterval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        let started = clock.now()
        for await _ in AsyncTimerSequence(interval: checkInterval, clock: .continuous).cancelOnGracefulShutdown() {
            await check(startedAt: started)
        }
    }

    /// One scan; returns the amphorae it marked.
    @discardableResult
    public func check(startedAt: Date) async -> [String] {
        let now = clock.now()
        let timeout = heartbeatTimeout.timeInterval
        guard now.timeIntervalSince(startedAt) >= timeout else { return [] }
        do {
            let stale = try await store.markStale(lastSeenBefore: now.addingTimeInterval(-timeout), at: now)
            for id in stale {
                metrics.staleMarked.increment()
                logger.info("amphora stale", metadata: ["amphora.id": "\(id)"])
            }
            return stale
        } catch {
            logger.warning("stale scan failed", metadata: ["error": "\(error)"])
            return []
        }
    }
}
