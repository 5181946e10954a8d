public import Foundation
public import FulcrumModel

/// The in-memory stand-in of the queue for unit tests of workers and flows. Same rules as the
/// SQLite queue (FIFO per load balancer, leases, backoff, dead-letter); `appliedChanges` records
/// the final writes it was given.
public actor MemoryTaskQueue: TaskQueue {
    private var tasks: [Int64: QueuedTask] = [:]
    private var onDead: [Int64: [StatusChange]] = [:]
    private var nextID: Int64 = 1
    private let configuration: QueueConfiguration
    private let clock: any WallClock
    /// Writes applied by completions and dead-letters, in order.
    public private(set) var appliedChanges: [StatusChange] = []

    /// Creates an empty queue.
    public init(configuration: QueueConfiguration = .init(), clock: any WallClock = SystemWallClock()) {
        self.configuration = configuration
        self.clock = clock
    }

    public func enqueue(_ request: TaskRequest) -> Int64 {
        let id = nextID
        nextID += 1
        let now = clock.now()
        tasks[id] = QueuedTask(
            id: id, kind: request.kind, payload: request.payload, loadBalancerID: request.loadBalancerID,
            state: .queued, attempts: 0, maxAttempts: max(1, request.maxAttempts ?? configuration.maxAttempts),
            notBefore: now, leaseOwner: nil, leaseExpiresAt: nil, lastError: nil, createdAt: now, finishedAt: nil,
            lockSet: request.lockSet)
        onDead[id] = request.onDead
        return id
    }

    public func claim(owner: String) -> ClaimedTask? {
        let now = clock.now()
        for id in tasks.keys.sorted() {
            guard var task = tasks[id] else { continue }
            let due = (task.state == .queued || task.state == .failed) && task.notBefore <= now
            let expired = task.state == .running && (task.leaseExpiresAt ?? now) <= now
            guard due || expired else { continue }
            if let lb = task.loadBalancerID,
                tasks.values.contains(where: {
                    $0.loadBalancerID == lb && $0.id < id && [.queued, .failed, .running].contains($0.state)
                })
            {
                continue
            }
            if expired && task.attempts >= task.maxAttempts {
                deadLetter(id, error: "lease expired on the final attempt")
                continue
            }
            task.state = .running
            task.attempts += 1
            task.leaseOwner = owner
            task.leaseExpiresAt = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
            tasks[id] = task
            return ClaimedTask(
                task: task,
                lease: TaskLease(taskID: id, owner: owner, attempt: task.attempts, expiresAt: task.leaseExpiresAt!))
        }
        return nil
    }

    public func renew(_ lease: TaskLease) throws -> TaskLease {
        var task = try held(lease)
        var renewed = lease
        renewed.expiresAt = clock.now().addingTimeInterval(configuration.leaseDuration.timeInterval)
        task.leaseExpiresAt = renewed.expiresAt
        tasks[lease.taskID] = task
        return renewed
    }

    public func complete(_ lease: TaskLease, changes: [StatusChange]) throws {
        var task = try held(lease)
        task.state = .done
        task.finishedAt = clock.now()
        task.leaseOwner = nil
        task.leaseExpiresAt = nil
        tasks[lease.taskID] = task
        appliedChanges += changes
    }

    public func fail(_ lease: TaskLease, error: String, retryable: Bool) throws -> FailureDisposition {
        var task = try held(lease)
        guard retryable && lease.attempt < task.maxAttempts else {
            deadLetter(lease.taskID, error: error)
            return .dead
        }
        let retryAt = clock.now().addingTimeInterval(configuration.backoff(afterAttempt: lease.attempt).timeInterval)
        task.state = .failed
        task.notBefore = retryAt
        task.lastError = error
        task.leaseOwner = nil
        task.leaseExpiresAt = nil
        tasks[lease.taskID] = task
        return .retry(at: retryAt)
    }

    public func task(id: Int64) -> QueuedTask? { tasks[id] }

    public func counts() -> [TaskState: Int] {
        tasks.values.reduce(into: [:]) { $0[$1.state, default: 0] += 1 }
    }

    public func oldestQueuedAt() -> Date? {
        tasks.values.filter { $0.state == .queued }.map(\.createdAt).min()
    }

    private func held(_ lease: TaskLease) throws -> QueuedTask {
        guard let task = tasks[lease.taskID] else { throw QueueError(.notFound, taskID: lease.taskID, "no such task") }
        guard task.state == .running, task.leaseOwner == lease.owner, task.attempts == lease.attempt else {
            throw QueueError(.leaseLost, taskID: lease.taskID, "the lease of \(lease.owner) is no longer held")
        }
        return task
    }

    private func deadLetter(_ id: Int64, error: String) {
        guard var task = tasks[id] else { return }
        task.state = .dead
        task.lastError = error
        task.finishedAt = clock.now()
        task.leaseOwner = nil
        task.leaseExpiresAt = nil
        tasks[id] = task
        appliedChanges += onDead[id] ?? []
    }
}
