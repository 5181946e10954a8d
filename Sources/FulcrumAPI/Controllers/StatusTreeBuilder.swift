import FulcrumAPITypes
import FulcrumModel
import FulcrumStore

/// Builds `GET …/loadbalancers/{id}/status`: listeners, their pools (default pool and L7 redirect pools),
/// each pool's monitor and members.
struct StatusTreeBuilder {
    let store: any APIStore

    func tree(_ lb: LoadBalancer) async throws -> StatusTree {
        let pools = try await store.resources(.pool, query: ResourceQuery(parentID: lb.id))
        var poolNodes: [String: StatusTree.PoolStatus] = [:]
        for case .pool(let pool) in pools {
            poolNodes[pool.id] = try await node(pool)
        }
        var listeners: [StatusTree.ListenerStatus] = []
        for case .listener(let listener) in try await store.resources(.listener, query: ResourceQuery(parentID: lb.id))
        {
            var poolIDs: [String] = listener.defaultPoolID.map { [$0] } ?? []
            for case .l7Policy(let policy) in try await store.resources(
                .l7Policy, query: ResourceQuery(parentID: listener.id))
            {
                if let id = policy.redirectPoolID, !poolIDs.contains(id) { poolIDs.append(id) }
            }
            listeners.append(
                StatusTree.ListenerStatus(
                    id: listener.id, name: listener.name, provisioningStatus: listener.provisioningStatus.rawValue,
                    operatingStatus: listener.operatingStatus.rawValue, pools: poolIDs.compactMap { poolNodes[$0] }))
        }
        return StatusTree(
            loadbalancer: .init(
                id: lb.id, name: lb.name, provisioningStatus: lb.provisioningStatus.rawValue,
                operatingStatus: lb.operatingStatus.rawValue, listeners: listeners))
    }

    func node(_ pool: Pool) async throws -> StatusTree.PoolStatus {
        var monitor: StatusTree.MonitorStatus?
        for case .healthMonitor(let hm) in try await store.resources(
            .healthMonitor, query: ResourceQuery(parentID: pool.id))
        {
            monitor = .init(
                id: hm.id, name: hm.name, type: hm.type.rawValue, provisioningStatus: hm.provisioningStatus.rawValue,
                operatingStatus: hm.operatingStatus.rawValue)
        }
        var members: [StatusTree.MemberStatus] = []
        for case .member(let m) in try await store.resources(.member, query: ResourceQuery(parentID: pool.id)) {
            members.append(
                .init(
                    id: m.id, name: m.name, address: m.address, protocolPort: m.protocolPort,
                    provisioningStatus: m.provisioningStatus.rawValue, operatingStatus: m.operatingStatus.rawValue))
        }
        return StatusTree.PoolStatus(
            id: pool.id, name: pool.name, provisioningStatus: pool.provisioningStatus.rawValue,
            operatingStatus: pool.operatingStatus.rawValue, healthMonitor: monitor, members: members)
    }
}
