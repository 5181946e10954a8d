import Foundation
import FulcrumModel
import FulcrumStore
import GRDB

extension WritePlanner {
    /// The load balancer id and parents a change to an existing child locks (reference §3),
    /// after checking that the load balancer (and pool or policy) is mutable.
    func childLocks(_ resource: Resource, lbID: String) throws -> [ResourceRef] {
        switch resource {
        case .loadBalancer:
            return []
        case .listener:
            try requireMutable(try loadBalancer(lbID, projectID: nil))
            return []
        case .pool(let pool):
            try requireMutable(try loadBalancer(lbID, projectID: nil))
            return try listeners(usingPool: pool.id)
        case .member(let member):
            _ = try mutablePool(member.poolID, projectID: nil)
            return try poolParents(member.poolID)
        case .healthMonitor(let monitor):
            _ = try mutablePool(monitor.poolID, projectID: nil)
            return try poolParents(monitor.poolID)
        case .l7Policy(let policy):
            try requireMutable(try loadBalancer(lbID, projectID: nil))
            return [ResourceRef(.listener, policy.listenerID)]
        case .l7Rule(let rule):
            let (_, listenerID, _) = try mutablePolicy(rule.l7PolicyID, projectID: nil)
            return [ResourceRef(.listener, listenerID), ResourceRef(.l7Policy, rule.l7PolicyID)]
        }
    }

    func update(_ resource: Resource) throws -> Plan {
        if case .loadBalancer(var lb) = resource {
            let existing = try loadBalancer(lb.id, projectID: lb.projectID)
            guard existing.provisioningStatus == .active else { throw invalidState(existing) }
            lb.vipSubnetID = existing.vipSubnetID
            lb.vipNetworkID = existing.vipNetworkID
            lb.vipAddress = existing.vipAddress
            lb.vipPortID = existing.vipPortID
            lb.provider = existing.provider
            lb.flavorID = existing.flavorID
            lb.availabilityZone = existing.availabilityZone
            lb.topology = existing.topology
            lb.createdAt = existing.createdAt
            lb.operatingStatus = existing.operatingStatus
            lb.provisioningStatus = .pendingUpdate
            try ResourceRows.update(.loadBalancer(lb), loadBalancerID: lb.id, now: now, in: db)
            return (.loadBalancer(lb), LockSet(object: resource.ref, operation: .update, parents: []), lb.id)
        }
        let (existing, lbID) = try child(resource.ref, projectID: resource.projectID)
        let parents = try childLocks(existing, lbID: lbID)
        var updated = try merged(resource, over: existing)
        if case .l7Policy(var policy) = updated {
            _ = try listenerForPolicy(policy)
            if case .l7Policy(let old) = existing, policy.position != old.position, let position = policy.position {
                // Move: take it out of the order, shift the rest, renumber densely.
                try db.execute(sql: "UPDATE l7policy SET position = -1 WHERE id = ?", arguments: [policy.id])
                try db.execute(
                    sql: "UPDATE l7policy SET position = position + 1 WHERE listener_id = ? AND position >= ?",
                    arguments: [policy.listenerID, position])
                try db.execute(sql: "UPDATE l7policy SET position = ? WHERE id = ?", arguments: [position, policy.id])
                try ResourceRows.renumberPolicies(listenerID: policy.listenerID, in: db)
                policy.position = try Int.fetchOne(
                    db, sql: "SELECT position FROM l7policy WHERE id = ?", arguments: [policy.id])
                updated = .l7Policy(policy)
            }
        }
        try ResourceRows.update(updated, loadBalancerID: lbID, now: now, in: db)
        return try lock(updated, .update, lbID: lbID, parents: parents)
    }

    /// The new value with the immutable attributes and statuses of the stored one, `PENDING_UPDATE`.
    private func merged(_ resource: Resource, over existing: Resource) throws -> Resource {
        switch (resource, existing) {
        case (.listener(var new), .listener(let old)):
            new.protocol = old.protocol
            new.protocolPort = old.protocolPort
            new.loadBalancerID = old.loadBalancerID
            new.createdAt = old.createdAt
            new.operatingStatus = old.operatingStatus
            new.provisioningStatus = .pendingUpdate
            if let poolID = new.defaultPoolID, poolID != old.defaultPoolID { try checkDefaultPool(poolID, for: new) }
            return .listener(new)
        case (.pool(var new), .pool(let old)):
            new.protocol = old.protocol
            new.loadBalancerID = old.loadBalancerID
            new.createdAt = old.createdAt
            new.operatingStatus = old.operatingStatus
            new.provisioningStatus = .pendingUpdate
            return .pool(new)
        case (.member(var new), .member(let old)):
            new.address = old.address
            new.protocolPort = old.protocolPort
            new.poolID = old.poolID
            new.createdAt = old.createdAt
            new.operatingStatus = old.operatingStatus
            new.provisioningStatus = .pendingUpdate
            return .member(new)
        case (.healthMonitor(var new), .healthMonitor(let old)):
            new.type = old.type
            new.poolID = old.poolID
            new.createdAt = old.createdAt
            new.operatingStatus = old.operatingStatus
            new.provisioningStatus = .pendingUpdate
            return .healthMonitor(new)
        case (.l7Policy(var new), .l7Policy(let old)):
            new.listenerID = old.listenerID
            new.createdAt = old.createdAt
            new.operatingStatus = old.operatingStatus
            new.provisioningStatus = .pendingUpdate
            if new.position == nil { new.position = old.position }
            return .l7Policy(new)
        case (.l7Rule(var new), .l7Rule(let old)):
            new.l7PolicyID = old.l7PolicyID
            new.createdAt = old.createdAt
            new.operatingStatus = old.operatingStatus
            new.provisioningStatus = .pendingUpdate
            return .l7Rule(new)
        default:
            throw StoreError.notFound(resource.ref)
        }
    }

    func delete(_ ref: ResourceRef, projectID: String?, cascade: Bool) throws -> Plan {
        if ref.kind == .loadBalancer {
            let lb = try loadBalancer(ref.id, projectID: projectID)
            guard lb.provisioningStatus == .active || lb.provisioningStatus == .error else { throw invalidState(lb) }
            let children =
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT (SELECT COUNT(*) FROM listener WHERE load_balancer_id = :id) + (SELECT COUNT(*) FROM pool WHERE load_balancer_id = :id)",
                    arguments: ["id": ref.id]) ?? 0
            guard cascade || children == 0 else {
                throw StoreError(.invalid, "Cannot delete Load Balancer \(ref.id) - it has children", resource: ref)
            }
            try ResourceRows.setProvisioning(.pendingDelete, on: [ref], now: now, in: db)
            return (nil, LockSet(object: ref, operation: .delete, parents: []), ref.id)
        }
        let (existing, lbID) = try child(ref, projectID: projectID)
        if ref.kind == .pool,
            try Row.fetchOne(db, sql: "SELECT 1 FROM l7policy WHERE redirect_pool_id = ?", arguments: [ref.id]) != nil
        {
            throw StoreError(
                .conflict, "Pool \(ref.id) is in use by an L7 policy and cannot be deleted.", resource: ref)
        }
        let parents = try childLocks(existing, lbID: lbID)
        try ResourceRows.setProvisioning(.pendingDelete, on: [ref], now: now, in: db)
        let (_, lockSet, _) = try lock(existing, .delete, lbID: lbID, parents: parents)
        return (nil, lockSet, lbID)
    }

    /// Octavia's batch member update; `nil` when nothing would change.
    func replaceMembers(
        poolID: String, projectID: String, members: [Member], additiveOnly: Bool
    ) throws -> (LockSet, String)? {
        let (pool, lbID) = try mutablePool(poolID, projectID: projectID)
        let existing = try ResourceRows.fetchAll(.member, where: "pool_id = ?", arguments: [poolID], in: db).compactMap
        { resource -> Member? in
            if case .member(let member) = resource { return member }
            return nil
        }
        func key(_ member: Member) -> String { "\(member.address)|\(member.protocolPort)" }
        let existingByKey = Dictionary(existing.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        var items: [LockSet.Item] = []
        var creates: [Member] = []
        var updates: [Member] = []
        for member in members {
            let memberKey = key(member)
            guard seen.insert(memberKey).inserted else {
                throw StoreError(.conflict, "Duplicate member \(member.address):\(member.protocolPort) in the request.")
            }
            if var old = existingByKey[memberKey] {
                var changed = old
                changed.name = member.name
                changed.weight = member.weight
                changed.backup = member.backup
                changed.adminStateUp = member.adminStateUp
                changed.monitorAddress = member.monitorAddress
                changed.monitorPort = member.monitorPort
                changed.tags = member.tags
                guard changed != old else { continue }
                old = changed
                old.provisioningStatus = .pendingUpdate
                updates.append(old)
            } else {
                var new = member
                new.poolID = poolID
                new.provisioningStatus = .pendingCreate
                new.operatingStatus = Member.initialOperatingStatus(poolHasHealthMonitor: try hasMonitor(poolID))
                creates.append(new)
            }
        }
        let deletes = additiveOnly ? [] : existing.filter { !seen.contains(key($0)) }
        guard !(creates.isEmpty && updates.isEmpty && deletes.isEmpty) else { return nil }
        try checkQuota(projectID: projectID, .member, adding: creates.count)
        for member in creates {
            try ResourceRows.insert(.member(member), loadBalancerID: lbID, in: db)
            items.append(.init(ResourceRef(.member, member.id), .create))
        }
        for member in updates {
            try ResourceRows.update(.member(member), loadBalancerID: lbID, now: now, in: db)
            items.append(.init(ResourceRef(.member, member.id), .update))
        }
        for member in deletes {
            try ResourceRows.setProvisioning(.pendingDelete, on: [ResourceRef(.member, member.id)], now: now, in: db)
            items.append(.init(ResourceRef(.member, member.id), .delete))
        }
        let parents = [ResourceRef(.loadBalancer, lbID)] + (try poolParents(pool.id))
        try ResourceRows.setProvisioning(.pendingUpdate, on: parents, now: now, in: db)
        return (LockSet(objects: items, parents: parents), lbID)
    }
}
