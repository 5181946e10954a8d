public import Foundation
public import FulcrumModel

/// A unit of work to enqueue, usually inside the write transaction that records the intent.
public struct TaskRequest: Sendable, Codable, Hashable {
    /// What to run (a flow name such as `loadbalancer.create`).
    public var kind: String
    /// The flow's input, a JSON document.
    public var payload: String
    /// The load balancer the task works on; at most one task per load balancer runs at a time,
    /// in enqueue order.
    public var loadBalancerID: String?
    /// Attempts before the task is dead-lettered; `nil` takes the queue's default.
    public var maxAttempts: Int?
    /// Writes applied when the task is dead-lettered, so no object is left `PENDING_*`.
    public var onDead: [StatusChange]
    /// The objects the recording write locked (filled in by the store).
    public var lockSet: LockSet?

    /// Creates a task request.
    public init(
        kind: String,
        payload: String = "{}",
        loadBalancerID: String? = nil,
        maxAttempts: Int? = nil,
        onDead: [StatusChange] = [],
        lockSet: LockSet? = nil
    ) {
        self.lockSet = lockSet
        self.kind = kind
        self.payload = payload
        self.loadBalancerID = loadBalancerID
        self.maxAttempts = maxAttempts
        self.onDead = onDead
    }
}

/// Lifecycle of a task row.
public enum TaskState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Waiting to be claimed.
    case queued
    /// Claimed under a lease.
    case running
    /// Finished successfully.
    case done
    /// Failed an attempt; claimable again after `notBefore`.
    case failed
    /// Gave up after `maxAttempts`; its `onDead` writes were applied.
    case dead
}

/// A task as stored.
public struct QueuedTask: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var kind: String
    public var payload: String
    public var loadBalancerID: String?
    public var state: TaskState
    public var attempts: Int
    public var maxAttempts: Int
    public var notBefore: Date
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    public var lastError: String?
    public var createdAt: Date
    public var finishedAt: Date?
    /// The objects the recording write locked, when a store enqueued the task.
    public var lockSet: LockSet?

    /// Creates a task value.
    public init(
        id: Int64, kind: String, payload: String, loadBalancerID: String?, state: TaskState,
        attempts: Int, maxAttempts: Int, notBefore: Date, leaseOwner: String?, leaseExpiresAt: Date?,
        lastError: String?, createdAt: Date, finishedAt: Date?, lockSet: LockSet? = nil
    ) {
        self.lockSet = lockSet
        self.id = id
        self.kind = kind
        self.payload = payload
        self.loadBalancerID = loadBalancerID
        self.state = state
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.notBefore = notBefore
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }
}

/// Proof that a claimer holds a task until `expiresAt`.
public struct TaskLease: Sendable, Hashable {
    public var taskID: Int64
    public var owner: String
    public var attempt: Int
    public var expiresAt: Date

    /// Creates a lease value.
    public init(taskID: Int64, owner: String, attempt: Int, expiresAt: Date) {
        self.taskID = taskID
        self.owner = owner
        self.attempt = attempt
        self.expiresAt = expiresAt
    }
}

/// A claimed task and its lease.
public struct ClaimedTask: Sendable, Hashable {
    public var task: QueuedTask
    public var lease: TaskLease

    /// Creates a claimed task.
    public init(task: QueuedTask, lease: TaskLease) {
        self.task = task
        self.lease = lease
    }
}

/// What happened to a failed attempt.
public enum FailureDisposition: Sendable, Hashable {
    /// The task runs again, not before the date.
    case retry(at: Date)
    /// The task is dead-lettered and its `onDead` writes applied.
    case dead
}

/// Queue behaviour shared by every implementation.
public struct QueueConfiguration: Sendable, Hashable {
    /// How long a claim lasts without renewal.
    public var leaseDuration: Duration
    /// Default attempts before dead-lettering.
    public var maxAttempts: Int
    /// First retry delay; doubles per attempt.
    public var backoffBase: Duration
    /// Largest retry delay.
    public var backoffMax: Duration

    /// Creates a configuration.
    public init(
        leaseDuration: Duration = .seconds(30),
        maxAttempts: Int = 5,
        backoffBase: Duration = .seconds(1),
        backoffMax: Duration = .seconds(60)
    ) {
        self.leaseDuration = leaseDuration
        self.maxAttempts = maxAttempts
        self.backoffBase = backoffBase
        self.backoffMax = backoffMax
    }

    /// Delay before attempt `attempt + 1` after attempt `attempt` failed: base × 2^(attempt−1), capped.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        let exponent = max(0, min(attempt - 1, 30))
        let delay = backoffBase * (1 << exponent)
        return min(delay, backoffMax)
    }
}

/// The durable work queue (DESIGN.md §4).
public protocol TaskQueue: Sendable {
    /// Enqueues a task on its own (stores enqueue inside their write transactions instead).
    func enqueue(_ request: TaskRequest) async throws -> Int64
    /// Claims the oldest runnable task, or returns `nil` when there is none.
    func claim(owner: String) async throws -> ClaimedTask?
    /// Extends a lease; throws `QueueError.leaseLost` when the lease is no longer held.
    func renew(_ lease: TaskLease) async throws -> TaskLease
    /// Marks the task done and applies `changes` in the same transaction.
    func complete(_ lease: TaskLease, changes: [StatusChange]) async throws
    /// Records a failed attempt: retried with backoff, or dead-lettered after the last attempt
    /// (or at once when `retryable` is false).
    func fail(_ lease: TaskLease, error: String, retryable: Bool) async throws -> FailureDisposition
    /// One task by id.
    func task(id: Int64) async throws -> QueuedTask?
    /// Number of tasks per state.
    func counts() async throws -> [TaskState: Int]
    /// When the oldest task still in state `queued` (never attempted) was enqueued; nil when there is none.
    func oldestQueuedAt() async throws -> Date?
}

/// Why a queue operation failed.
public struct QueueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failure class.
    public enum Code: String, Sendable, Hashable {
        /// The lease expired and the task was claimed by another owner, or the task finished.
        case leaseLost
        /// A final write could not be applied.
        case finalWriteFailed
        /// No such task.
        case notFound
    }
    public var code: Code
    public var taskID: Int64
    public var message: String

    /// Creates a queue error.
    public init(_ code: Code, taskID: Int64, _ message: String) {
        self.code = code
        self.taskID = taskID
        self.message = message
    }

    public var description: String { "\(code.rawValue) (task \(taskID)): \(message)" }
}
