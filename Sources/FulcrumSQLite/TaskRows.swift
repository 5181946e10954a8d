import Foundation
import FulcrumModel
import FulcrumQueue
import GRDB

/// Task-table SQL shared by the queue and by store writes that enqueue in their own transaction.
enum TaskRows {
    static func insert(
        _ request: TaskRequest, in db: Database, now: Date, configuration: QueueConfiguration
    ) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO task (kind, payload, load_balancer_id, state, attempts, max_attempts, not_before, on_dead, lock_set, created_at)
                VALUES (?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?)
                """,
            arguments: [
                request.kind, request.payload, request.loadBalancerID,
                max(1, request.maxAttempts ?? configuration.maxAttempts), now.storage,
                try JSON.encode(request.onDead), try request.lockSet.map(JSON.encode), now.storage,
            ])
        return db.lastInsertedRowID
    }

    /// The oldest runnable task: queued or failed and due, or running with an expired lease;
    /// and never one whose load balancer has an older unfinished task (FIFO per load balancer,
    /// at most one running per load balancer).
    private static let runnableSQL = """
        SELECT * FROM task AS t
        WHERE ((t.state IN ('queued', 'failed') AND t.not_before <= :now)
               OR (t.state = 'running' AND t.lease_expires_at <= :now))
          AND (t.load_balancer_id IS NULL OR NOT EXISTS (
                SELECT 1 FROM task AS o
                WHERE o.load_balancer_id = t.load_balancer_id AND o.id < t.id
                  AND o.state IN ('queued', 'failed', 'running')))
        ORDER BY t.id
        LIMIT 1
        """

    static func claim(
        owner: String, in db: Database, now: Date, configuration: QueueConfiguration
    ) throws -> ClaimedTask? {
        while let row = try Row.fetchOne(db, sql: runnableSQL, arguments: ["now": now.storage]) {
            let id: Int64 = row["id"]
            let attempts: Int = row["attempts"]
            let maxAttempts: Int = row["max_attempts"]
            let state: String = row["state"]
            if state == TaskState.running.rawValue {
                try log(db, taskID: id, event: "lease_expired", owner: row["lease_owner"], attempt: attempts, at: now)
                if attempts >= maxAttempts {
                    // The holder died on the last attempt: dead-letter it (applying its revert
                    // writes) rather than running it again.
                    try deadLetter(
                        taskID: id, onDead: row["on_dead"], error: "lease expired on the final attempt",
                        owner: row["lease_owner"], attempt: attempts, in: db, now: now)
                    continue
                }
            }
            let expires = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
            try db.execute(
                sql: """
                    UPDATE task SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_expires_at = ?
                    WHERE id = ?
                    """,
                arguments: [owner, expires.storage, id])
            try log(
                db, taskID: id, event: "claimed", owner: owner, attempt: attempts + 1, at: now, leaseExpiresAt: expires)
            guard let claimed = try Row.fetchOne(db, sql: "SELECT * FROM task WHERE id = ?", arguments: [id]) else {
                return nil
            }
            let task = try task(from: claimed)
            return ClaimedTask(
                task: task, lease: TaskLease(taskID: id, owner: owner, attempt: task.attempts, expiresAt: expires))
        }
        return nil
    }

    /// The task row, if `lease` still holds it; else `QueueError.leaseLost`.
    @discardableResult
    static func requireLease(_ lease: TaskLease, in db: Database) throws -> Row {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM task WHERE id = ?", arguments: [lease.taskID]) else {
            throw QueueError(.notFound, taskID: lease.taskID, "no such task")
        }
        guard row["state"] == TaskState.running.rawValue, row["lease_owner"] == lease.owner,
            row["attempts"] == lease.attempt
        else {
            throw QueueError(.leaseLost, taskID: lease.taskID, "the lease of \(lease.owner) is no longer held")
        }
        return row
    }

    static func deadLetter(
        taskID: Int64, onDead: String, error: String, owner: String?, attempt: Int, in db: Database, now: Date
    ) throws {
        let changes = try JSON.decode([StatusChange].self, from: onDead)
        try StatusChangeWriter(db: db, now: now).apply(changes)
        try db.execute(
            sql: """
                UPDATE task SET state = 'dead', last_error = ?, finished_at = ?, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ?
                """,
            arguments: [error, now.storage, taskID])
        try log(db, taskID: taskID, event: "dead", owner: owner, attempt: attempt, at: now, detail: error)
    }

    static func log(
        _ db: Database, taskID: Int64, event: String, owner: String?, attempt: Int, at: Date,
        leaseExpiresAt: Date? = nil, detail: String? = nil
    ) throws {
        try db.execute(
            sql:
                "INSERT INTO task_log (task_id, event, owner, attempt, at, lease_expires_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [taskID, event, owner, attempt, at.storage, leaseExpiresAt?.storage, detail])
    }

    static func task(from row: Row) throws -> QueuedTask {
        QueuedTask(
            id: row["id"], kind: row["kind"], payload: row["payload"], loadBalancerID: row["load_balancer_id"],
            state: TaskState(rawValue: row["state"]) ?? .queued, attempts: row["attempts"],
            maxAttempts: row["max_attempts"], notBefore: Date(storage: row["not_before"]),
            leaseOwner: row["lease_owner"],
            leaseExpiresAt: (row["lease_expires_at"] as Double?).map(Date.init(storage:)),
            lastError: row["last_error"], createdAt: Date(storage: row["created_at"]),
            finishedAt: (row["finished_at"] as Double?).map(Date.init(storage:)),
            lockSet: try (row["lock_set"] as String?).map { try JSON.decode(LockSet.self, from: $0) })
    }
}
