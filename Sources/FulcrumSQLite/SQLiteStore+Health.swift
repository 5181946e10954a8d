public import Foundation
public import FulcrumModel
public import FulcrumStore
import GRDB

extension SQLiteStore: HealthStore {
    public func healthSnapshot(amphoraID: String) async throws -> HealthSnapshot? {
        try await healthSnapshots(amphoraIDs: [amphoraID])[amphoraID]
    }

    public func healthSnapshots(amphoraIDs: [String]) async throws -> [String: HealthSnapshot] {
        guard !amphoraIDs.isEmpty else { return [:] }
        return try await database.read { db in try Self.snapshots(db, amphoraIDs: Array(Set(amphoraIDs))) }
    }

    /// Set-based: five queries for any number of amphorae.
    private static func snapshots(_ db: Database, amphoraIDs: [String]) throws -> [String: HealthSnapshot] {
        let amphorae = try Row.fetchAll(
            db, sql: "SELECT id, status, load_balancer_id FROM amphora WHERE id IN \(placeholders(amphoraIDs.count))",
            arguments: StatementArguments(amphoraIDs))
        let lbIDs = Array(Set(amphorae.compactMap { $0["load_balancer_id"] as String? }))
        guard !lbIDs.isEmpty else { return [:] }
        let inLBs = placeholders(lbIDs.count)
        let arguments = StatementArguments(lbIDs)
        let lbs = try Row.fetchAll(
            db, sql: "SELECT * FROM load_balancer WHERE id IN \(inLBs) AND provisioning_status != 'DELETED'",
            arguments: arguments)
        let listeners = Dictionary(
            grouping: try Row.fetchAll(
                db,
                sql: """
                    SELECT id, load_balancer_id, enabled, operating_status FROM listener
                    WHERE load_balancer_id IN \(inLBs) ORDER BY created_at, id
                    """,
                arguments: arguments),
            by: { $0["load_balancer_id"] as String })
        let pools = Dictionary(
            grouping: try Row.fetchAll(
                db,
                sql: """
                    SELECT p.id, p.load_balancer_id, p.enabled, p.operating_status,
                        EXISTS (SELECT 1 FROM health_monitor h WHERE h.pool_id = p.id) AS monitored
                    FROM pool p WHERE p.load_balancer_id IN \(inLBs) ORDER BY p.created_at, p.id
                    """,
                arguments: arguments),
            by: { $0["load_balancer_id"] as String })
        let members = Dictionary(
            grouping: try Row.fetchAll(
                db,
                sql: """
                    SELECT id, load_balancer_id, pool_id, enabled, operating_status,
                        COALESCE(json_extract(body, '$.weight'), 1) AS weight
                    FROM member WHERE load_balancer_id IN \(inLBs) ORDER BY created_at, id
                    """,
                arguments: arguments),
            by: { $0["load_balancer_id"] as String })
        var rollups: [String: StatusRollup.Snapshot] = [:]
        for lb in lbs {
            let id: String = lb["id"]
            rollups[id] = StatusRollup.Snapshot(
                loadBalancerID: id, enabled: lb["enabled"],
                provisioningStatus: ProvisioningStatus(rawValue: lb["provisioning_status"]) ?? .error,
                operatingStatus: operating(lb),
                listeners: (listeners[id] ?? []).map { row in
                    StatusRollup.ListenerState(id: row["id"], enabled: row["enabled"], operatingStatus: operating(row))
                },
                pools: (pools[id] ?? []).map { row in
                    StatusRollup.PoolState(
                        id: row["id"], enabled: row["enabled"], hasHealthMonitor: row["monitored"],
                        operatingStatus: operating(row))
                },
                members: (members[id] ?? []).map { row in
                    StatusRollup.MemberState(
                        id: row["id"], poolID: row["pool_id"], enabled: row["enabled"], weight: row["weight"],
                        operatingStatus: operating(row))
                })
        }
        var result: [String: HealthSnapshot] = [:]
        for amphora in amphorae {
            guard let lbID: String = amphora["load_balancer_id"], let rollup = rollups[lbID] else { continue }
            let id: String = amphora["id"]
            result[id] = HealthSnapshot(
                amphoraID: id, amphoraStatus: AmphoraStatus(rawValue: amphora["status"]) ?? .error, rollup: rollup)
        }
        return result
    }

    private static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }

    public func apply(_ updates: [HeartbeatUpdate]) async throws {
        let now = clock.now()
        try await database.immediateWrite { db in
            let writer = StatusChangeWriter(db: db, now: now)
            for update in updates {
                if update.refreshHealth {
                    try db.execute(
                        sql: """
                            INSERT INTO amphora_health (amphora_id, last_update, busy) VALUES (?, ?, 0)
                            ON CONFLICT (amphora_id) DO UPDATE SET last_update = MAX(last_update, excluded.last_update), stale_since = NULL
                            """,
                        arguments: [update.amphoraID, update.receivedAt.storage])
                }
                try writer.apply(update.changes)
                for delta in update.statistics {
                    try db.execute(
                        sql: """
                            INSERT INTO listener_statistics
                                (listener_id, amphora_id, bytes_in, bytes_out, active_connections, total_connections, request_errors)
                            VALUES (:listener, :amphora, :bin, :bout, :active, :total, :errors)
                            ON CONFLICT (listener_id, amphora_id) DO UPDATE SET
                                bytes_in = bytes_in + excluded.bytes_in,
                                bytes_out = bytes_out + excluded.bytes_out,
                                active_connections = excluded.active_connections,
                                total_connections = total_connections + excluded.total_connections,
                                request_errors = request_errors + excluded.request_errors
                            """,
                        arguments: [
                            "listener": delta.listenerID, "amphora": delta.amphoraID, "bin": max(0, delta.bytesIn),
                            "bout": max(0, delta.bytesOut), "active": max(0, delta.activeConnections),
                            "total": max(0, delta.totalConnections), "errors": max(0, delta.requestErrors),
                        ])
                }
            }
        }
    }

    public func markStale(lastSeenBefore before: Date, at now: Date) async throws -> [String] {
        try await database.immediateWrite { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT h.amphora_id FROM amphora_health h
                    JOIN amphora a ON a.id = h.amphora_id
                    LEFT JOIN load_balancer lb ON lb.id = a.load_balancer_id
                    WHERE h.busy = 0 AND h.stale_since IS NULL AND h.last_update < ?
                      AND a.status = 'ALLOCATED'
                      AND (lb.id IS NULL OR lb.provisioning_status NOT IN ('PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE'))
                    ORDER BY h.last_update, h.amphora_id
                    """,
                arguments: [before.storage])
            for id in ids {
                try db.execute(
                    sql: "UPDATE amphora_health SET stale_since = ? WHERE amphora_id = ?", arguments: [now.storage, id])
            }
            return ids
        }
    }

    public func staleAmphorae() async throws -> [AmphoraHealth] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM amphora_health WHERE stale_since IS NOT NULL ORDER BY stale_since, amphora_id"
            )
            .map { row in
                AmphoraHealth(
                    amphoraID: row["amphora_id"], lastUpdate: Date(storage: row["last_update"]), busy: row["busy"],
                    staleSince: (row["stale_since"] as Double?).map(Date.init(storage:)))
            }
        }
    }

    public func listenerStatistics(listenerID: String) async throws -> StatisticsTotals {
        try await database.read { db in try Self.totals(db, where: "s.listener_id = ?", arguments: [listenerID]) }
    }

    public func loadBalancerStatistics(loadBalancerID: String) async throws -> StatisticsTotals {
        try await database.read { db in
            try Self.totals(
                db, where: "s.listener_id IN (SELECT id FROM listener WHERE load_balancer_id = ?)",
                arguments: [loadBalancerID])
        }
    }

    public func amphoraStatistics(amphoraID: String) async throws -> [ListenerStatistics] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM listener_statistics WHERE amphora_id = ? ORDER BY listener_id",
                arguments: [amphoraID]
            )
            .map { row in
                ListenerStatistics(
                    listenerID: row["listener_id"], amphoraID: row["amphora_id"], bytesIn: row["bytes_in"],
                    bytesOut: row["bytes_out"], activeConnections: row["active_connections"],
                    totalConnections: row["total_connections"], requestErrors: row["request_errors"])
            }
        }
    }

    /// Counters summed over every row; the active gauge only over rows of `ALLOCATED` amphorae.
    private static func totals(
        _ db: Database, where condition: String, arguments: StatementArguments
    ) throws -> StatisticsTotals {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT COALESCE(SUM(s.bytes_in), 0) AS bin, COALESCE(SUM(s.bytes_out), 0) AS bout,
                    COALESCE(SUM(CASE WHEN a.status = 'ALLOCATED' THEN s.active_connections ELSE 0 END), 0) AS active,
                    COALESCE(SUM(s.total_connections), 0) AS total, COALESCE(SUM(s.request_errors), 0) AS errors
                FROM listener_statistics s LEFT JOIN amphora a ON a.id = s.amphora_id
                WHERE \(condition)
                """,
            arguments: arguments)
        var totals = StatisticsTotals()
        if let row {
            totals.bytesIn = row["bin"]
            totals.bytesOut = row["bout"]
            totals.activeConnections = row["active"]
            totals.totalConnections = row["total"]
            totals.requestErrors = row["errors"]
        }
        return totals
    }

    private static func operating(_ row: Row) -> OperatingStatus {
        OperatingStatus(rawValue: row["operating_status"]) ?? .offline
    }
}
