import Foundation
import FulcrumModel
import FulcrumStore
import GRDB

extension WritePlanner {
    func checkPortFree(_ listener: Listener, exceptID: String?) throws {
        let taken = try Row.fetchOne(
            db,
            sql:
                "SELECT 1 FROM listener WHERE load_balancer_id = ? AND l4_family = ? AND protocol_port = ? AND id != ?",
            arguments: [listener.loadBalancerID, listener.protocol.l4Family, listener.protocolPort, exceptID ?? ""])
        guard taken == nil else {
            throw StoreError(
                .conflict,
                "Another Listener on this Load Balancer is already using protocol_port \(listener.protocolPort)")
        }
    }

    func checkDefaultPool(_ poolID: String, for listener: Listener) throws {
        let (found, lbID) = try child(ResourceRef(.pool, poolID), projectID: listener.projectID)
        guard case .pool(let pool) = found, lbID == listener.loadBalancerID else {
            throw StoreError(.invalid, "Pool \(poolID) is not on load balancer \(listener.loadBalancerID).")
        }
        guard pool.protocol.isCompatible(with: listener.protocol) else {
            throw StoreError(
                .invalid,
                "The pool protocol '\(pool.protocol.rawValue)' is invalid while the listener protocol is '\(listener.protocol.rawValue)'."
            )
        }
    }

    /// The pool (which must be ACTIVE, as must its load balancer) and its load balancer id.
    func mutablePool(_ poolID: String, projectID: String?) throws -> (Pool, String) {
        let (found, lbID) = try child(ResourceRef(.pool, poolID), projectID: projectID)
        guard case .pool(let pool) = found else { throw StoreError.notFound(ResourceRef(.pool, poolID)) }
        try requireMutable(try loadBalancer(lbID, projectID: nil))
        guard pool.provisioningStatus == .active else { throw StoreError.immutable(ResourceRef(.pool, poolID)) }
        return (pool, lbID)
    }

    /// The listeners using the pool, then the pool: the parents a member or monitor write locks.
    func poolParents(_ poolID: String) throws -> [ResourceRef] {
        try listeners(usingPool: poolID) + [ResourceRef(.pool, poolID)]
    }

    func hasMonitor(_ poolID: String) throws -> Bool {
        try Row.fetchOne(db, sql: "SELECT 1 FROM health_monitor WHERE pool_id = ?", arguments: [poolID]) != nil
    }

    /// The listener of a new or changed policy (HTTP-like, on a mutable LB) and its LB id;
    /// checks the redirect pool.
    func listenerForPolicy(_ policy: L7Policy) throws -> (Listener, String) {
        let (found, lbID) = try child(ResourceRef(.listener, policy.listenerID), projectID: policy.projectID)
        guard case .listener(let listener) = found else {
            throw StoreError.notFound(ResourceRef(.listener, policy.listenerID))
        }
        try requireMutable(try loadBalancer(lbID, projectID: nil))
        guard listener.protocol == .http || listener.protocol == .terminatedHTTPS else {
            throw StoreError(.invalid, "L7 policies are only supported on HTTP and TERMINATED_HTTPS listeners.")
        }
        if let poolID = policy.redirectPoolID {
            let (pool, poolLB) = try child(ResourceRef(.pool, poolID), projectID: policy.projectID)
            guard case .pool(let redirect) = pool, poolLB == lbID else {
                throw StoreError(.invalid, "Pool \(poolID) is not on load balancer \(lbID).")
            }
            guard redirect.protocol.isCompatible(with: listener.protocol) else {
                throw StoreError(
                    .invalid,
                    "The pool protocol '\(redirect.protocol.rawValue)' is invalid while the listener protocol is '\(listener.protocol.rawValue)'."
                )
            }
        }
        return (listener, lbID)
    }

    /// The policy (ACTIVE, on a mutable LB), its listener id and LB id.
    func mutablePolicy(_ policyID: String, projectID: String?) throws -> (L7Policy, String, String) {
        let (found, lbID) = try child(ResourceRef(.l7Policy, policyID), projectID: projectID)
        guard case .l7Policy(let policy) = found else { throw StoreError.notFound(ResourceRef(.l7Policy, policyID)) }
        try requireMutable(try loadBalancer(lbID, projectID: nil))
        guard policy.provisioningStatus == .active else { throw StoreError.immutable(ResourceRef(.l7Policy, policyID)) }
        return (policy, policy.listenerID, lbID)
    }

    /// Fills in the VIP address (IPAM) and network of a new load balancer.
    func allocateVIP(for lb: LoadBalancer) throws -> LoadBalancer {
        var lb = lb
        let subnet = try IPAM(db: db, now: now).subnet(lb.vipSubnetID)
        let requested: IPv4Address?
        if let text = lb.vipAddress {
            guard let address = IPv4Address(text) else {
                throw StoreError(.invalid, "Invalid input for field/attribute vip_address. Value: '\(text)'.")
            }
            requested = address
        } else {
            requested = nil
        }
        let address = try IPAM(db: db, now: now).allocate(
            subnet: subnet, ownerID: lb.id, purpose: "vip", requested: requested)
        lb.vipSubnetID = subnet.id
        lb.vipAddress = address.description
        lb.vipNetworkID = subnet.networkID
        lb.vipPortID = lb.vipPortID ?? "vip-\(lb.id)"
        return lb
    }
}
