/// One write a finishing (or dead-lettered) task applies atomically with its completion.
public enum StatusChange: Sendable, Codable, Hashable {
    /// Set an object's provisioning status (`DELETED` on a load balancer soft-deletes it).
    case provisioning(ResourceRef, ProvisioningStatus)
    /// Set an object's operating status.
    case operating(ResourceRef, OperatingStatus)
    /// Remove a child object's row (and the rows below it) once its delete flow is done.
    case remove(ResourceRef)
    /// Release every address IPAM holds for an owner (a load balancer or amphora id).
    case releaseAddresses(ownerID: String)
    /// Set an amphora's lifecycle status.
    case amphoraStatus(id: String, AmphoraStatus)
}

/// The objects a write locked: the object itself and the parents set to `PENDING_UPDATE`
/// (reference §3 locking table). The load balancer, when locked, comes first in `parents`.
public struct LockSet: Sendable, Codable, Hashable {
    /// The object the write is about.
    public var object: ResourceRef
    /// The operation applied to the object.
    public var operation: Operation
    /// Parents set to `PENDING_UPDATE` by the write.
    public var parents: [ResourceRef]

    /// What the write does to `object`.
    public enum Operation: String, Sendable, Codable, Hashable {
        case create, update, delete, failover
    }

    /// Creates a lock set.
    public init(object: ResourceRef, operation: Operation, parents: [ResourceRef]) {
        self.object = object
        self.operation = operation
        self.parents = parents
    }

    /// The statuses written when the flow succeeds: the object `ACTIVE` (or removed / `DELETED`
    /// after a delete), every parent back to `ACTIVE`.
    public var onSuccess: [StatusChange] {
        var changes: [StatusChange] = []
        switch (object.kind, operation) {
        case (.loadBalancer, .delete):
            changes.append(.provisioning(object, .deleted))
            changes.append(.releaseAddresses(ownerID: object.id))
        case (_, .delete):
            changes.append(.remove(object))
        default:
            changes.append(.provisioning(object, .active))
        }
        changes += parents.map { .provisioning($0, .active) }
        return changes
    }

    /// Octavia's revert rules: a child goes to `ERROR` and its parents back to `ACTIVE` so the
    /// load balancer stays usable; a failed load-balancer create/update/delete/failover puts the
    /// load balancer in `ERROR`.
    public var onFailure: [StatusChange] {
        if object.kind == .loadBalancer || object.kind == .amphora {
            var changes: [StatusChange] = [.provisioning(object, .error)]
            if object.kind == .amphora { changes = [.amphoraStatus(id: object.id, .error)] }
            changes += parents.map { .provisioning($0, $0.kind == .loadBalancer ? .error : .active) }
            return changes
        }
        return [.provisioning(object, .error)] + parents.map { .provisioning($0, .active) }
    }
}
