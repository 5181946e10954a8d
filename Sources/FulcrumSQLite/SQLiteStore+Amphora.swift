public import Foundation
public import FulcrumModel
public import FulcrumQueue
public import FulcrumStore
import GRDB

extension SQLiteStore: AmphoraStore {
    public func insertAmphora(_ amphora: Amphora) async throws {
        let body = try JSON.encode(amphora)
        try await database.immediateWrite { db in
            try db.execute(
                sql: """
                    INSERT INTO amphora (id, load_balancer_id, status, role, compute_id, lb_network_ip, cert_expiration, cert_busy, created_at, updated_at, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: StatementArguments(
                    Self.amphoraColumns(amphora) + [amphora.createdAt.storage, amphora.updatedAt?.storage, body]))
        }
    }

    public func updateAmphora(_ amphora: Amphora) async throws {
        let body = try JSON.encode(amphora)
        let now = clock.now()
        try await database.immediateWrite { db in
            try db.execute(
                sql: """
                    UPDATE amphora SET id = ?, load_balancer_id = ?, status = ?, role = ?, compute_id = ?, lb_network_ip = ?,
                        cert_expiration = ?, cert_busy = ?, updated_at = ?, body = ?
                    WHERE id = ?
                    """,
                arguments: StatementArguments(Self.amphoraColumns(amphora) + [now.storage, body, amphora.id]))
            guard db.changesCount == 1 else { throw StoreError.notFound(ResourceRef(.amphora, amphora.id)) }
        }
    }

    public func claimSpare(vipSubnetID: String, loadBalancerID: String, role: AmphoraRole) async throws -> Amphora? {
        let now = clock.now()
        return try await database.immediateWrite { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM amphora WHERE status = 'READY' AND load_balancer_id IS NULL ORDER BY created_at"
            )
            guard var spare = try rows.map(Self.amphora(from:)).first(where: { $0.vipSubnetID == vipSubnetID })
            else { return nil }
            spare.loadBalancerID = loadBalancerID
            spare.role = role
            spare.vrrpPriority = role == .backup ? 90 : 100
            spare.status = .booting
            try db.execute(
                sql: """
                    UPDATE amphora SET load_balancer_id = ?, status = ?, role = ?, updated_at = ?, body = ?
                    WHERE id = ? AND status = 'READY'
                    """,
                arguments: [
                    loadBalancerID, spare.status.rawValue, role.rawValue, now.storage, try JSON.encode(spare), spare.id,
                ])
            return spare
        }
    }

    public func amphora(id: String) async throws -> Amphora? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM amphora WHERE id = ?", arguments: [id]).map(Self.amphora(from:))
        }
    }

    public func amphorae(loadBalancerID: String?, includeDeleted: Bool) async throws -> [Amphora] {
        try await database.read { db in
            var sql = "SELECT * FROM amphora WHERE 1"
            var arguments: [any DatabaseValueConvertible] = []
            if let loadBalancerID {
                sql += " AND load_balancer_id = ?"
                arguments.append(loadBalancerID)
            }
            if !includeDeleted { sql += " AND status != 'DELETED'" }
            return try Row.fetchAll(db, sql: sql + " ORDER BY created_at, id", arguments: StatementArguments(arguments))
                .map(Self.amphora(from:))
        }
    }

    public func recordHeartbeat(amphoraID: String, at date: Date) async throws {
        try await database.immediateWrite { db in
            try db.execute(
                sql: """
                    INSERT INTO amphora_health (amphora_id, last_update, busy) VALUES (?, ?, 0)
                    ON CONFLICT (amphora_id) DO UPDATE SET last_update = excluded.last_update, stale_since = NULL
                    """,
                arguments: [amphoraID, date.storage])
        }
    }

    public func amphoraHealth(id: String) async throws -> AmphoraHealth? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM amphora_health WHERE amphora_id = ?", arguments: [id]).map { row in
                AmphoraHealth(
                    amphoraID: row["amphora_id"], lastUpdate: Date(storage: row["last_update"]), busy: row["busy"],
                    staleSince: (row["stale_since"] as Double?).map(Date.init(storage:)))
            }
        }
    }

    public func purgeDeleted(
        loadBalancersBefore: Date, amphoraeBefore: Date
    ) async throws -> (loadBalancers: Int, amphorae: Int) {
        try await database.immediateWrite { db in
            // Octavia keeps an amphora whose health row is newer than the cut-off (a zombie still
            // sending heartbeats) so that it can still be recognised and removed.
            try db.execute(
                sql: """
                    DELETE FROM amphora WHERE status = 'DELETED' AND COALESCE(updated_at, created_at) < :cut
                      AND NOT EXISTS (SELECT 1 FROM amphora_health h WHERE h.amphora_id = amphora.id AND h.last_update >= :cut)
                    """,
                arguments: ["cut": amphoraeBefore.storage])
            let amphorae = db.changesCount
            try db.execute(
                sql: """
                    DELETE FROM load_balancer WHERE provisioning_status = 'DELETED' AND COALESCE(updated_at, created_at) < ?
                      AND NOT EXISTS (SELECT 1 FROM amphora a WHERE a.load_balancer_id = load_balancer.id)
                    """,
                arguments: [loadBalancersBefore.storage])
            return (db.changesCount, amphorae)
        }
    }

    private static func amphoraColumns(_ amphora: Amphora) -> [(any DatabaseValueConvertible)?] {
        [
            amphora.id, amphora.loadBalancerID, amphora.status.rawValue, amphora.role?.rawValue, amphora.computeID,
            amphora.lbNetworkIP, amphora.certExpiration?.storage, amphora.certBusy,
        ]
    }

    private static func amphora(from row: Row) throws -> Amphora {
        var amphora = try JSON.decode(Amphora.self, from: row["body"])
        amphora.status = AmphoraStatus(rawValue: row["status"]) ?? .error
        amphora.updatedAt = (row["updated_at"] as Double?).map(Date.init(storage:))
        return amphora
    }
}

extension SQLiteStore: HousekeepingStore {
    public func enqueueRebuild(amphoraID: String, task: TaskRequest) async throws -> WriteReceipt {
        try await record(task: task) { planner in
            guard
                let row = try Row.fetchOne(
                    planner.db, sql: "SELECT load_balancer_id FROM amphora WHERE id = ?", arguments: [amphoraID]),
                let lbID: String = row["load_balancer_id"]
            else { throw StoreError(.invalid, "Amphora \(amphoraID) is not assigned to a load balancer.") }
            let lb = try planner.loadBalancer(lbID, projectID: nil)
            guard lb.provisioningStatus.isFailoverable else { throw planner.invalidState(lb) }
            let lbRef = ResourceRef(.loadBalancer, lbID)
            try ResourceRows.setProvisioning(.pendingUpdate, on: [lbRef], now: planner.now, in: planner.db)
            return (
                nil, LockSet(object: ResourceRef(.amphora, amphoraID), operation: .failover, parents: [lbRef]), lbID
            )
        }
    }

    public func busyLoadBalancerIDs() async throws -> Set<String> {
        try await database.read { db in
            Set(
                try String.fetchAll(
                    db, sql: "SELECT id FROM load_balancer WHERE provisioning_status LIKE 'PENDING\\_%' ESCAPE '\\'"))
        }
    }

    public func unfinishedTaskCount(kind: String) async throws -> Int {
        try await database.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM task WHERE kind = ? AND state IN ('queued', 'running')",
                arguments: [kind]) ?? 0
        }
    }
}
