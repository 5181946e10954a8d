import AsyncAlgorithms
import Foundation
public import FulcrumModel
public import Logging
public import ServiceLifecycle

/// Samples the queue's depth into ``QueueMetrics`` every `interval`: tasks per state and the age of the oldest
/// queued task. A failed sample is logged at debug level and the next one tried; it never stops the worker.
public struct QueueDepthSampler: Service {
    let queue: any TaskQueue
    let metrics: QueueMetrics
    let interval: Duration
    let clock: any WallClock
    let logger: Logger

    /// Creates a sampler.
    public init(
        queue: any TaskQueue, metrics: QueueMetrics, interval: Duration, clock: any WallClock = SystemWallClock(),
        logger: Logger
    ) {
        self.queue = queue
        self.metrics = metrics
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await sample()
        for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
            await sample()
        }
    }

    /// One sample.
    public func sample() async {
        do {
            let counts = try await queue.counts()
            let oldest = try await queue.oldestQueuedAt()
            metrics.sample(counts: counts, oldestQueuedAge: oldest.map { clock.now().timeIntervalSince($0) })
        } catch {
            logger.debug("queue sample failed", metadata: ["error": "\(error)"])
        }
    }
}
