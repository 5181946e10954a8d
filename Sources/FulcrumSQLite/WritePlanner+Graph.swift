import FulcrumModel
import FulcrumStore
import GRDB

extension WritePlanner {
    /// Inserts a load balancer and its children, all `PENDING_CREATE`; quota is charged per resource in bulk.
    func createGraph(_ graph: LoadBalancerGraph) throws -> Plan {
        var counts: [QuotaResource: Int] = [.loadBalancer: 1]
        for child in graph.children {
            if let quota = QuotaResource(kind: child.ref.kind) { counts[quota, default: 0] += 1 }
        }
        for (resource, count) in counts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try checkQuota(projectID: graph.loadBalancer.projectID, resource, adding: count)
        }
        for ref in [ResourceRef(.loadBalancer, graph.loadBalancer.id)] + graph.children.map(\.ref) {
            if try Row.fetchOne(db, sql: "SELECT 1 FROM \(ref.kind.table) WHERE id = ?", arguments: [ref.id]) != nil {
                throw StoreError(
                    .conflict, "A \(ref.kind.displayName) with id \(ref.id) already exists.", resource: ref)
            }
        }
        var lb = graph.loadBalancer
        lb.provisioningStatus = .pendingCreate
        lb.operatingStatus = .offline
        lb = try allocateVIP(for: lb)
        try ResourceRows.insert(.loadBalancer(lb), loadBalancerID: lb.id, in: db)
        let monitored = Set(
            graph.children.compactMap { child -> String? in
                if case .healthMonitor(let monitor) = child { return monitor.poolID }
                return nil
            })
        var positions: [String: Int] = [:]
        var items = [LockSet.Item(ResourceRef(.loadBalancer, lb.id), .create)]
        for child in graph.children {
            let stored = try insertGraphChild(child, lbID: lb.id, monitored: monitored, positions: &positions)
            items.append(LockSet.Item(stored.ref, .create))
        }
        return (.loadBalancer(lb), LockSet(objects: items, parents: []), lb.id)
    }

    private func insertGraphChild(
        _ child: Resource, lbID: String, monitored: Set<String>, positions: inout [String: Int]
    ) throws -> Resource {
        var resource = child
        switch child {
        case .listener(var listener):
            try checkPortFree(listener, exceptID: nil)
            listener.provisioningStatus = .pendingCreate
            listener.operatingStatus = .offline
            resource = .listener(listener)
        case .pool(var pool):
            pool.provisioningStatus = .pendingCreate
            pool.operatingStatus = .offline
            resource = .pool(pool)
        case .member(var member):
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
            member.operatingStatus = Member.initialOperatingStatus(
                poolHasHealthMonitor: monitored.contains(member.poolID))
            resource = .member(member)
        case .healthMonitor(var monitor):
            guard try !hasMonitor(monitor.poolID) else {
                throw StoreError(.conflict, "This pool already has a health monitor")
            }
            monitor.provisioningStatus = .pendingCreate
            monitor.operatingStatus = .offline
            resource = .healthMonitor(monitor)
        case .l7Policy(var policy):
            let next = (positions[policy.listenerID] ?? 0) + 1
            positions[policy.listenerID] = next
            policy.position = next
            policy.provisioningStatus = .pendingCreate
            policy.operatingStatus = .offline
            resource = .l7Policy(policy)
        case .l7Rule(var rule):
            rule.provisioningStatus = .pendingCreate
            rule.operatingStatus = .offline
            resource = .l7Rule(rule)
        case .loadBalancer:
            throw StoreError(.invalid, "A graph has one load balancer.")
        }
        try ResourceRows.insert(resource, loadBalancerID: lbID, in: db)
        return resource
    }
}
