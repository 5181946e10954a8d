import Foundation
import FulcrumModel
import GRDB

/// Applies `StatusChange`s inside the caller's transaction (task completion, dead-lettering).
/// Changes to rows that no longer exist are skipped, so a re-run converges.
struct StatusChangeWriter {
    let db: Database
    let now: Date

    func apply(_ changes: [StatusChange]) throws {
        for change in changes { try apply(change) }
    }

    private func apply(_ change: StatusChange) throws {
        switch change {
        case .provisioning(let ref, let status) where ref.kind == .amphora:
            // Amphorae have a lifecycle status rather than a provisioning status.
            let mapped: AmphoraStatus =
                switch status {
                case .deleted: .deleted
                case .error: .error
                case .pendingDelete: .pendingDelete
                case .active, .pendingCreate, .pendingUpdate: .allocated
                }
            try apply(.amphoraStatus(id: ref.id, mapped))
        case .provisioning(let ref, let status):
            try db.execute(
                sql: "UPDATE \(ref.kind.table) SET provisioning_status = ?, updated_at = ? WHERE id = ?",
                arguments: [status.rawValue, now.storage, ref.id])
            if ref.kind == .loadBalancer && status == .deleted {
                try removeChildren(ofLoadBalancer: ref.id)
            }
        case .operating(let ref, let status):
            guard ref.kind != .amphora else { return }
            try db.execute(
                sql: "UPDATE \(ref.kind.table) SET operating_status = ? WHERE id = ?",
                arguments: [status.rawValue, ref.id])
        case .remove(let ref):
            if ref.kind == .loadBalancer {
                try apply(.provisioning(ref, .deleted))
            } else if ref.kind == .pool {
                try db.execute(
                    sql: "UPDATE l7policy SET redirect_pool_id = NULL WHERE redirect_pool_id = ?", arguments: [ref.id])
                try db.execute(sql: "DELETE FROM pool WHERE id = ?", arguments: [ref.id])
            } else if ref.kind == .l7Policy {
                let listenerID = try String.fetchOne(
                    db, sql: "SELECT listener_id FROM l7policy WHERE id = ?", arguments: [ref.id])
                try db.execute(sql: "DELETE FROM l7policy WHERE id = ?", arguments: [ref.id])
                if let listenerID { try ResourceRows.renumberPolicies(listenerID: listenerID, in: db) }
            } else {
                try db.execute(sql: "DELETE FROM \(ref.kind.table) WHERE id = ?", arguments: [ref.id])
            }
        case .releaseAddresses(let ownerID):
            try db.execute(sql: "DELETE FROM ip_allocation WHERE owner_id = ?", arguments: [ownerID])
        case .amphoraStatus(let id, let status):
            try db.execute(
                sql: "UPDATE amphora SET status = ?, updated_at = ? WHERE id = ?",
                arguments: [status.rawValue, now.storage, id])
        }
    }

    /// A deleted load balancer keeps its own row (for housekeeping) but none of its children, and none of its
    /// floating IPs (the forwarder stops listening on its next poll).
    private func removeChildren(ofLoadBalancer id: String) throws {
        try db.execute(
            sql: """
                DELETE FROM floating_ip WHERE load_balancer_id = :id;
                DELETE FROM l7rule WHERE load_balancer_id = :id;
                DELETE FROM l7policy WHERE load_balancer_id = :id;
                DELETE FROM health_monitor WHERE load_balancer_id = :id;
                DELETE FROM member WHERE load_balancer_id = :id;
                UPDATE listener SET default_pool_id = NULL WHERE load_balancer_id = :id;
                DELETE FROM listener WHERE load_balancer_id = :id;
                DELETE FROM pool WHERE load_balancer_id = :id;
                """,
            arguments: ["id": id])
    }
}
