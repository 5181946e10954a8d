public import FulcrumModel
public import Logging
public import ServiceLifecycle
import Synchronization

/// Runs one claimed task. Returns the writes to apply with completion; throws to fail the attempt.
public protocol TaskHandler: Sendable {
    /// Carries out `task`; the worker renews its lease meanwhile.
    func handle(_ task: ClaimedTask) async throws -> [StatusChange]
}

/// An error a handler throws for a failure that retrying cannot fix (dead-letter at once).
public struct PermanentTaskError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// Creates the error.
    public init(_ description: String) { self.description = description }
}

/// Claims tasks and runs up to `concurrency` handlers at once; on graceful shutdown it stops
/// claiming and lets in-flight tasks finish within `drainTimeout` (then cancels them, and their
/// leases lapse so another worker re-runs them).
public struct TaskWorker: Service {
    /// Worker tuning.
    public struct Configuration: Sendable {
        public var owner: String
        public var concurrency: Int
        public var pollInterval: Duration
        public var drainTimeout: Duration
        /// Renew the lease after this much of it has passed.
        public var renewInterval: Duration

        /// Creates a configuration.
        public init(
            owner: String, concurrency: Int = 4, pollInterval: Duration = .milliseconds(200),
            drainTimeout: Duration = .seconds(30), renewInterval: Duration = .seconds(10)
        ) {
            self.owner = owner
            self.concurrency = max(1, concurrency)
            self.pollInterval = pollInterval
            self.drainTimeout = drainTimeout
            self.renewInterval = renewInterval
        }
    }

    let queue: any TaskQueue
    let handler: any TaskHandler
    let configuration: Configuration
    let metrics: QueueMetrics
    let logger: Logger

    /// Creates a worker; attempts and their outcomes are counted in `metrics`.
    public init(
        queue: any TaskQueue, handler: any TaskHandler, configuration: Configuration,
        metrics: QueueMetrics = .disabled, logger: Logger
    ) {
        self.queue = queue
        self.handler = handler
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        logger.info("worker ready", metadata: ["worker.concurrency": "\(configuration.concurrency)"])
        let stopping = StopFlag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await withDiscardingTaskGroup { slots in
                    for slot in 0..<configuration.concurrency {
                        slots.addTask { await runSlot(slot, stopping: stopping) }
                    }
                }
            }
            group.addTask {
                // Waits for graceful shutdown, then bounds the drain.
                try await gracefulShutdown()
                stopping.set()
                try await Task.sleep(for: configuration.drainTimeout)
                logger.info("drain timeout reached; cancelling in-flight tasks")
            }
            // Whichever ends first (all slots drained, or the drain timeout) ends the worker.
            _ = try await group.next()
            group.cancelAll()
        }
    }

    private func runSlot(_ slot: Int, stopping: StopFlag) async {
        let owner = "\(configuration.owner)/\(slot)"
        while !stopping.isSet && !Task.isCancelled {
            do {
                guard let claimed = try await queue.claim(owner: owner) else {
                    try await Task.sleep(for: configuration.pollInterval)
                    continue
                }
                await process(claimed)
            } catch is CancellationError {
                return
            } catch {
                logger.warning("claim failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: configuration.pollInterval)
            }
        }
    }

    private func process(_ claimed: ClaimedTask) async {
        var metadata: Logger.Metadata = ["task.id": "\(claimed.task.id)", "task.kind": "\(claimed.task.kind)"]
        if let lb = claimed.task.loadBalancerID { metadata["lb.id"] = "\(lb)" }
        metrics.attempted(claimed.task.kind)
        let outcome: Result<[StatusChange], any Error> = await withTaskGroup(
            of: Result<[StatusChange], any Error>?.self
        ) { group in
            group.addTask {
                do { return .success(try await handler.handle(claimed)) } catch { return .failure(error) }
            }
            group.addTask {
                // Keeps the lease alive while the handler runs.
                var lease = claimed.lease
                while !Task.isCancelled {
                    do {
                        try await Task.sleep(for: configuration.renewInterval)
                        lease = try await queue.renew(lease)
                    } catch {
                        return nil
                    }
                }
                return nil
            }
            defer { group.cancelAll() }
            while let next = await group.next() {
                if let result = next { return result }
            }
            return .failure(CancellationError())
        }
        do {
            switch outcome {
            case .success(let changes):
                try await queue.complete(claimed.lease, changes: changes)
                metrics.completed(claimed.task.kind)
                logger.debug("task completed", metadata: metadata)
            case .failure(let error):
                let disposition = try await queue.fail(
                    claimed.lease, error: "\(error)", retryable: !(error is PermanentTaskError))
                metrics.failed(claimed.task.kind, dead: disposition == .dead)
                metadata["error"] = "\(error)"
                logger.info(disposition == .dead ? "task dead-lettered" : "task failed; will retry", metadata: metadata)
            }
        } catch {
            metadata["error"] = "\(error)"
            logger.warning("task outcome not recorded", metadata: metadata)
        }
    }
}

/// A one-way "stop claiming" flag shared by the worker's slots.
final class StopFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
