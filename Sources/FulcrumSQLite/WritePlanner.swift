import Foundation
import FulcrumModel
import FulcrumStore
import GRDB

/// The checks and row writes of one recorded write (reference §3's locking table), run inside
/// the store's transaction.
struct WritePlanner {
    let db: Database
    let now: Date
    let defaultQuota: Quota

    typealias Plan = (Resource?, LockSet, loadBalancerID: String)

    // MARK: lookups

    func loadBalancer(_ id: String, projectID: String?) throws -> LoadBalancer {
        guard case .loadBalancer(let lb)? = try ResourceRows.fetch(ResourceRef(.loadBalancer, id), in: db),
            lb.provisioningStatus != .deleted, projectID == nil || lb.projectID == projectID
        else { throw StoreError.notFound(ResourceRef(.loadBalancer, id)) }
        return lb
    }

    /// Any child resource with its load balancer id, or 404.
    func child(_ ref: ResourceRef, projectID: String?) throws -> (Resource, loadBalancerID: String) {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \(ref.kind.table) WHERE id = ?", arguments: [ref.id]),
            projectID == nil || row["project_id"] == projectID
        else { throw StoreError.notFound(ref) }
        return (try ResourceRows.decode(ref.kind, row), row["load_balancer_id"])
    }

    func requireMutable(_ lb: LoadBalancer) throws {
        guard lb.provisioningStatus == .active else { throw StoreError.immutable(ResourceRef(.loadBalancer, lb.id)) }
    }

    func invalidState(_ lb: LoadBalancer) -> StoreError {
        StoreError(
            .immutable,
            "Invalid state \(lb.provisioningStatus.rawValue) of loadbalancer resource \(lb.id)",
            resource: ResourceRef(.loadBalancer, lb.id))
    }

    /// Listeners whose default pool is `poolID` or that route to it through an L7 policy.
    func listeners(usingPool poolID: String) throws -> [ResourceRef] {
        try String.fetchAll(
            db,
            sql: """
                SELECT id FROM listener WHERE default_pool_id = :pool
                UNION SELECT listener_id FROM l7policy WHERE redirect_pool_id = :pool
                ORDER BY 1
                """,
            arguments: ["pool": poolID]
        ).map { ResourceRef(.listener, $0) }
    }

    // MARK: quota

    func checkQuota(projectID: String, _ resource: QuotaResource, adding count: Int) throws {
        guard count > 0 else { return }
        let explicit = try Int.fetchOne(
            db, sql: "SELECT quota_limit FROM quotas WHERE project_id = ? AND resource = ?",
            arguments: [projectID, resource.rawValue])
        let limit = explicit ?? defaultQuota.effectiveLimit(resource, defaults: .seedDefaults)
        guard limit != Quota.unlimited else { return }
        let inUse = try usage(projectID: projectID, resource)
        guard Quota.allows(limit: limit, inUse: inUse, adding: count) else {
            throw StoreError(.quotaExceeded, "Quota has been met for resources: \(resource.resourceKind.displayName)")
        }
    }

    func usage(projectID: String, _ resource: QuotaResource) throws -> Int {
        let kind = resource.resourceKind
        let deleted = kind == .loadBalancer ? " AND provisioning_status != 'DELETED'" : ""
        return try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM \(kind.table) WHERE project_id = ?\(deleted)", arguments: [projectID]) ?? 0
    }

    // MARK: create

    func create(_ resource: Resource, options: CreateOptions) throws -> Plan {
        let ref = resource.ref
        if try Row.fetchOne(db, sql: "SELECT 1 FROM \(ref.kind.table) WHERE id = ?", arguments: [ref.id]) != nil {
            throw StoreError(.conflict, "A \(ref.kind.displayName) with id \(ref.id) already exists.", resource: ref)
        }
        if let quota = QuotaResource(kind: ref.kind) {
            try checkQuota(projectID: resource.projectID, quota, adding: 1)
        }
        switch resource {
        case .loadBalancer(var lb):
            lb.provisioningStatus = .pendingCreate
            lb.operatingStatus = .offline
            lb = try allocateVIP(for: lb)
            try ResourceRows.insert(.loadBalancer(lb), loadBalancerID: lb.id, in: db)
            return (.loadBalancer(lb), LockSet(object: ref, operation: .create, parents: []), lb.id)
        case .listener(var listener):
            let lb = try loadBalancer(listener.loadBalancerID, projectID: listener.projectID)
            try requireMutable(lb)
            try checkPortFree(listener, exceptID: nil)
            if let poolID = listener.defaultPoolID { try checkDefaultPool(poolID, for: listener) }
            listener.provisioningStatus = .pendingCreate
            listener.operatingStatus = .offline
            try ResourceRows.insert(.listener(listener), loadBalancerID: lb.id, in: db)
            return try lock(.listener(listener), .create, lbID: lb.id, parents: [])
        case .pool(var pool):
            let lb = try loadBalancer(pool.loadBalancerID, projectID: pool.projectID)
            try requireMutable(lb)
            var parents: [ResourceRef] = []
            if let listenerID = options.defaultPoolOfListener {
                let (found, lbID) = try child(ResourceRef(.listener, listenerID), projectID: pool.projectID)
                guard case .listener(let listener) = found, lbID == lb.id else {
                    throw StoreError(.invalid, "Listener \(listenerID) is not on load balancer \(lb.id).")
                }
                guard listener.defaultPoolID == nil else {
                    throw StoreError(.conflict, "Listener \(listenerID) already has a default pool.")
                }
                guard pool.protocol.isCompatible(with: listener.protocol) else {
                    throw StoreError(
                        .invalid,
                        "The pool protocol '\(pool.protocol.rawValue)' is invalid while the listener protocol is '\(listener.protocol.rawValue)'."
                    )
                }
                parents.append(ResourceRef(.listener, listenerID))
            }
            pool.provisioningStatus = .pendingCreate
            pool.operatingStatus = .offline
            try ResourceRows.insert(.pool(pool), loadBalancerID: lb.id, in: db)
            if let listenerID = options.defaultPoolOfListener {
                try db.execute(
                    sql: "UPDATE listener SET default_pool_id = ? WHERE id = ?", arguments: [pool.id, listenerID])
            }
            return try lock(.pool(pool), .create, lbID: lb.id, parents: parents)
        case .member(var member):
            let (pool, lbID) = try mutablePool(member.poolID, projectID: member.projectID)
            let duplicate = try Row.fetchOne(
                db, sql: "SELECT 1 FROM member WHERE pool_id = ? AND address = ? AND protocol_port = ?",
                arguments: [member.poolID, member.address, member.protocolPort])
            guard duplicate == nil else {
                throw StoreError(
                    .conflict,
                    "Another member on this pool is already using ip address \(member.address) on protocol_port \(member.protocolPort)"
                )
            }
            member.provisioningStatus = .pendingCreate
            member.operatingStatus = Member.initialOperatingStatus(poolHasHealthMonitor: try hasMonitor(pool.id))
            try ResourceRows.insert(.member(member), loadBalancerID: lbID, in: db)
            return try lock(.member(member), .create, lbID: lbID, parents: try poolParents(pool.id))
        case .healthMonitor(var monitor):
            let (pool, lbID) = try mutablePool(monitor.poolID, projectID: monitor.projectID)
            guard try !hasMonitor(pool.id) else {
                throw StoreError(.conflict, "This pool already has a health monitor")
            }
            monitor.provisioningStatus = .pendingCreate
            monitor.operatingStatus = .offline
            try ResourceRows.insert(.healthMonitor(monitor), loadBalancerID: lbID, in: db)
            return try lock(.healthMonitor(monitor), .create, lbID: lbID, parents: try poolParents(pool.id))
        case .l7Policy(var policy):
            let (listener, lbID) = try listenerForPolicy(policy)
            policy.provisioningStatus = .pendingCreate
            policy.operatingStatus = .offline
            let count =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM l7policy WHERE listener_id = ?", arguments: [listener.id]) ?? 0
            let position = min(policy.position ?? (count + 1), count + 1)
            try db.execute(
                sql: "UPDATE l7policy SET position = position + 1 WHERE listener_id = ? AND position >= ?",
                arguments: [listener.id, position])
            policy.position = position
            try ResourceRows.insert(.l7Policy(policy), loadBalancerID: lbID, in: db)
            return try lock(.l7Policy(policy), .create, lbID: lbID, parents: [ResourceRef(.listener, listener.id)])
        case .l7Rule(var rule):
            let (policy, listenerID, lbID) = try mutablePolicy(rule.l7PolicyID, projectID: rule.projectID)
            let count =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM l7rule WHERE l7policy_id = ?", arguments: [policy.id])
                ?? 0
            guard count < L7Policy.Limits.maxRulesPerPolicy else {
                throw StoreError(
                    .conflict,
                    "Too many rules on L7 policy \(policy.id): the limit is \(L7Policy.Limits.maxRulesPerPolicy).")
            }
            rule.provisioningStatus = .pendingCreate
            rule.operatingStatus = .offline
            try ResourceRows.insert(.l7Rule(rule), loadBalancerID: lbID, in: db)
            return try lock(
                .l7Rule(rule), .create, lbID: lbID,
                parents: [ResourceRef(.listener, listenerID), ResourceRef(.l7Policy, policy.id)])
        }
    }

    /// Sets the load balancer and `parents` to `PENDING_UPDATE` and builds the lock set.
    func lock(_ resource: Resource, _ operation: LockSet.Operation, lbID: String, parents: [ResourceRef]) throws -> Plan
    {
        let all = [ResourceRef(.loadBalancer, lbID)] + parents
        try ResourceRows.setProvisioning(.pendingUpdate, on: all, now: now, in: db)
        return (resource, LockSet(object: resource.ref, operation: operation, parents: all), lbID)
    }
}
