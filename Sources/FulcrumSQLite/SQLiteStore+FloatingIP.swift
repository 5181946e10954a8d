import Foundation
public import FulcrumModel
public import FulcrumStore
import GRDB

extension SQLiteStore: FloatingIPStore {
    public func createFloatingIP(_ floatingIP: FloatingIP) async throws -> FloatingIP {
        try await database.immediateWrite { db in
            let lbRef = ResourceRef(.loadBalancer, floatingIP.loadBalancerID)
            guard
                let status = try String.fetchOne(
                    db, sql: "SELECT provisioning_status FROM load_balancer WHERE id = ? AND project_id = ?",
                    arguments: [floatingIP.loadBalancerID, floatingIP.projectID]),
                status != ProvisioningStatus.deleted.rawValue
            else { throw StoreError.notFound(lbRef) }
            guard status != ProvisioningStatus.pendingDelete.rawValue else { throw StoreError.immutable(lbRef) }
            let taken = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM floating_ip WHERE floating_address = ? AND floating_port = ?)",
                arguments: [floatingIP.floatingAddress.description, floatingIP.floatingPort])
            guard taken != true else {
                throw StoreError(.conflict, "Floating IP \(floatingIP.floatingEndpoint) is already in use.")
            }
            try db.execute(
                sql: """
                    INSERT INTO floating_ip
                        (id, project_id, load_balancer_id, floating_address, floating_port, listener_port, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    floatingIP.id, floatingIP.projectID, floatingIP.loadBalancerID,
                    floatingIP.floatingAddress.description, floatingIP.floatingPort, floatingIP.listenerPort,
                    floatingIP.createdAt.storage,
                ])
            return floatingIP
        }
    }

    public func floatingIP(id: String, projectID: String?) async throws -> FloatingIP? {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM floating_ip WHERE id = ?", arguments: [id]),
                projectID == nil || row["project_id"] == projectID
            else { return nil }
            return try FloatingIPRows.decode(row)
        }
    }

    public func floatingIPs(projectID: String?, loadBalancerID: String?) async throws -> [FloatingIP] {
        try await database.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let projectID {
                conditions.append("project_id = ?")
                arguments.append(projectID)
            }
            if let loadBalancerID {
                conditions.append("load_balancer_id = ?")
                arguments.append(loadBalancerID)
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(
                db, sql: "SELECT * FROM floating_ip\(filter) ORDER BY created_at, id",
                arguments: StatementArguments(arguments)
            ).map(FloatingIPRows.decode)
        }
    }

    public func deleteFloatingIP(id: String, projectID: String?) async throws {
        try await database.immediateWrite { db in
            try db.execute(
                sql: "DELETE FROM floating_ip WHERE id = ? AND (? IS NULL OR project_id = ?)",
                arguments: [id, projectID, projectID])
            guard db.changesCount > 0 else { throw StoreError(.notFound, "Floating IP \(id) not found.") }
        }
    }

    public func floatingIPTargets() async throws -> [FloatingIPTarget] {
        try await database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT floating_ip.*, load_balancer.vip_address AS vip_address
                    FROM floating_ip JOIN load_balancer ON load_balancer.id = floating_ip.load_balancer_id
                    WHERE load_balancer.provisioning_status != 'DELETED' AND load_balancer.vip_address IS NOT NULL
                    ORDER BY floating_ip.created_at, floating_ip.id
                    """)
            return try rows.compactMap { row in
                guard let vip = IPv4Address(row["vip_address"] as String) else { return nil }
                return FloatingIPTarget(floatingIP: try FloatingIPRows.decode(row), vipAddress: vip)
            }
        }
    }
}

/// Rows of `floating_ip` ⇄ `FloatingIP`.
enum FloatingIPRows {
    static func decode(_ row: Row) throws -> FloatingIP {
        let address: String = row["floating_address"]
        guard let floatingAddress = IPv4Address(address) else {
            throw StoreError(.invalid, "Floating IP \(row["id"] as String) has a malformed address '\(address)'.")
        }
        return FloatingIP(
            id: row["id"], projectID: row["project_id"], loadBalancerID: row["load_balancer_id"],
            floatingAddress: floatingAddress, floatingPort: row["floating_port"], listenerPort: row["listener_port"],
            createdAt: Date(storage: row["created_at"]))
    }
}
