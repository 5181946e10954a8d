public import Foundation
public import FulcrumModel
public import FulcrumQueue
import GRDB

/// The durable work queue on SQLite (DESIGN.md §4). Every operation is one `BEGIN IMMEDIATE`
/// transaction, so any number of processes can share the file.
public struct SQLiteTaskQueue: TaskQueue {
    let database: FulcrumDatabase
    let configuration: QueueConfiguration
    let clock: any WallClock

    /// Creates a queue on `database`.
    public init(
        database: FulcrumDatabase, configuration: QueueConfiguration = .init(), clock: any WallClock = SystemWallClock()
    ) {
        self.database = database
        self.configuration = configuration
        self.clock = clock
    }

    public func enqueue(_ request: TaskRequest) async throws -> Int64 {
        let now = clock.now()
        let configuration = configuration
        return try await database.immediateWrite { db in
            try TaskRows.insert(request, in: db, now: now, configuration: configuration)
        }
    }

    public func claim(owner: String) async throws -> ClaimedTask? {
        let now = clock.now()
        let configuration = configuration
        return try await database.immediateWrite { db in
            try TaskRows.claim(owner: owner, in: db, now: now, configuration: configuration)
        }
    }

    public func renew(_ lease: TaskLease) async throws -> TaskLease {
        let now = clock.now()
        let expires = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
        return try await database.immediateWrite { db in
            try TaskRows.requireLease(lease, in: db)
            try db.execute(
                sql: "UPDATE task SET lease_expires_at = ? WHERE id = ?",
                arguments: [expires.storage, lease.taskID])
            var renewed = lease
            renewed.expiresAt = expires
            return renewed
        }
    }

    public func complete(_ lease: TaskLease, changes: [StatusChange]) async throws {
        let now = clock.now()
        try await database.immediateWrite { db in
            try TaskRows.requireLease(lease, in: db)
            try StatusChangeWriter(db: db, now: now).apply(changes)
            try db.execute(
                sql: """
                    UPDATE task SET state = 'done', finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = ?
                    """,
                arguments: [now.storage, lease.taskID])
            try TaskRows.log(
                db, taskID: lease.taskID, event: "completed", owner: lease.owner, attempt: lease.attempt, at: now)
        }
    }

    public func fail(_ lease: TaskLease, error: String, retryable: Bool) async throws -> FailureDisposition {
        let now = clock.now()
        let configuration = configuration
        return try await database.immediateWrite { db in
            let row = try TaskRows.requireLease(lease, in: db)
            let maxAttempts: Int = row["max_attempts"]
            if retryable && lease.attempt < maxAttempts {
                let retryAt = now.addingTimeInterval(configuration.backoff(afterAttempt: lease.attempt).timeInterval)
                try db.execute(
                    sql: """
                        UPDATE task SET state = 'failed', not_before = ?, last_error = ?,
                            lease_owner = NULL, lease_expires_at = NULL
                        WHERE id = ?
                        """,
                    arguments: [retryAt.storage, error, lease.taskID])
                try TaskRows.log(
                    db, taskID: lease.taskID, event: "failed", owner: lease.owner, attempt: lease.attempt, at: now,
                    detail: error)
                return .retry(at: retryAt)
            }
            try TaskRows.deadLetter(
                taskID: lease.taskID, onDead: row["on_dead"], error: error, owner: lease.owner, attempt: lease.attempt,
                in: db, now: now)
            return .dead
        }
    }

    public func task(id: Int64) async throws -> QueuedTask? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM task WHERE id = ?", arguments: [id]).map(TaskRows.task(from:))
        }
    }

    public func counts() async throws -> [TaskState: Int] {
        try await database.read { db in
            var counts: [TaskState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM task GROUP BY state") {
                if let state = TaskState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    public func oldestQueuedAt() async throws -> Date? {
        try await database.read { db in
            try Double.fetchOne(db, sql: "SELECT MIN(created_at) FROM task WHERE state = 'queued'")
                .map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Every completion recorded in the task log, oldest first (tests and operators).
    public func history(taskID: Int64? = nil) async throws -> [TaskEvent] {
        try await database.read { db in
            let sql = "SELECT * FROM task_log" + (taskID == nil ? "" : " WHERE task_id = ?") + " ORDER BY id"
            return try Row.fetchAll(db, sql: sql, arguments: taskID.map { [$0] } ?? []).map { row in
                TaskEvent(
                    taskID: row["task_id"], event: row["event"], owner: row["owner"], attempt: row["attempt"],
                    at: Date(storage: row["at"]),
                    leaseExpiresAt: (row["lease_expires_at"] as Double?).map(Date.init(storage:)),
                    detail: row["detail"])
            }
        }
    }
}

/// One row of the task log: what happened to a task, by whom, when.
public struct TaskEvent: Sendable, Hashable {
    public var taskID: Int64
    /// `claimed`, `renewed`, `completed`, `failed`, `dead` or `lease_expired`.
    public var event: String
    public var owner: String?
    public var attempt: Int
    public var at: Date
    public var leaseExpiresAt: Date?
    public var detail: String?
}
