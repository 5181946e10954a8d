import AsyncAlgorithms
import CoreMetrics
public import Foundation
public import FulcrumModel
public import FulcrumStore
public import Logging
public import ServiceLifecycle

/// Every `interval`, takes the buffered heartbeats and applies them in ONE write transaction:
/// health rows, changed operating statuses, statistics deltas. The health manager is the only
/// writer of operating status and statistics.
public struct HeartbeatUpdater: Service {
    let store: any HealthStore
    let buffer: HeartbeatBuffer
    let metrics: HealthManagerMetrics
    let interval: Duration
    let logger: Logger

    /// Creates an updater.
    public init(
        store: any HealthStore, buffer: HeartbeatBuffer, metrics: HealthManagerMetrics, interval: Duration,
        logger: Logger
    ) {
        self.store = store
        self.buffer = buffer
        self.metrics = metrics
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
            await flushOnce()
        }
        await flushOnce()  // what arrived before shutdown
    }

    /// Applies everything buffered now; failures are logged and counted, never fatal.
    @discardableResult
    public func flushOnce() async -> HeartbeatPlanner.Plan {
        let batch = await buffer.drain()
        metrics.pending.record(await buffer.count)
        guard !batch.isEmpty else { return HeartbeatPlanner.Plan() }
        let started = ContinuousClock.now
        do {
            let snapshots = try await store.healthSnapshots(amphoraIDs: batch.map(\.message.id))
            let plan = HeartbeatPlanner.plan(batch, snapshots: snapshots)
            if !plan.updates.isEmpty { try await store.apply(plan.updates) }
            for reason in plan.rejected { metrics.reject(reason) }
            metrics.accepted.increment(by: batch.count - plan.rejected.count)
            metrics.batches.increment()
            metrics.batchLatency.recordInterval(since: started)
            return plan
        } catch {
            logger.warning(
                "heartbeat batch not applied", metadata: ["error": "\(error)", "batch.size": "\(batch.count)"])
            return HeartbeatPlanner.Plan()
        }
    }
}

extension CoreMetrics.Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
