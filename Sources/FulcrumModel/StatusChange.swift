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

/// The objects a write locked: the objects it is about (one, or several for a batch member
/// update) and the parents set to `PENDING_UPDATE` (reference §3 locking table). The load
/// balancer, when locked as a parent, comes first in `parents`.
public struct LockSet: Sendable, Codable, Hashable {
    /// What the write does to an object.
    public enum Operation: String, Sendable, Codable, Hashable {
        case create, update, delete, failover
    }

    /// One object and the operation applied to it.
    public struct Item: Sendable, Codable, Hashable {
        public var ref: ResourceRef
        public var operation: Operation

        /// Creates an item.
        public init(_ ref: ResourceRef, _ operation: Operation) {
            self.ref = ref
            self.operation = operation
        }
    }

    /// The objects the write is about; never empty.
    public var objects: [Item]
    /// Parents set to `PENDING_UPDATE` by the write.
    public var parents: [ResourceRef]

    /// The (first) object the write is about.
    public var object: ResourceRef { objects[0].ref }
    /// The operation applied to `object`.
    public var operation: Operation { objects[0].operation }

    /// Creates a lock set for one object.
    public init(object: ResourceRef, operation: Operation, parents: [ResourceRef]) {
        self.init(objects: [Item(object, operation)], parents: parents)
    }

    /// Creates a lock set for several objects (a batch); `objects` must not be empty.
    public init(objects: [Item], parents: [ResourceRef]) {
        precondition(!objects.isEmpty, "a lock set needs an object")
        self.objects = objects
        self.parents = parents
    }

    /// The statuses written when the flow succeeds: each object `ACTIVE` (or removed /
    /// `DELETED` after a delete, or a failover of an amphora), every parent back to `ACTIVE`.
    public var onSuccess: [StatusChange] {
        var changes: [StatusChange] = []
        for item in objects {
            switch (item.ref.kind, item.operation) {
            case (.loadBalancer, .delete):
                changes.append(.provisioning(item.ref, .deleted))
                changes.append(.releaseAddresses(ownerID: item.ref.id))
            case (.amphora, _):
                // A failed-over amphora has been replaced (its VM is gone): it ends DELETED.
                let replaced = item.operation == .delete || item.operation == .failover
                changes.append(.amphoraStatus(id: item.ref.id, replaced ? .deleted : .allocated))
            case (_, .delete):
                changes.append(.remove(item.ref))
            default:
                changes.append(.provisioning(item.ref, .active))
            }
        }
        changes += parents.map { .provisioning($0, .active) }
        return changes
    }

    /// Octavia's revert rules: a child goes to `ERROR` and its parents back to `ACTIVE` so the
    /// load balancer stays usable; a failed load-balancer create/update/delete/failover — or
    /// amphora failover — puts the load balancer in `ERROR`.
    public var onFailure: [StatusChange] {
        var changes: [StatusChange] = []
        var loadBalancerFails = false
        for item in objects {
            switch item.ref.kind {
            case .loadBalancer:
                changes.append(.provisioning(item.ref, .error))
            case .amphora:
                changes.append(.amphoraStatus(id: item.ref.id, .error))
                loadBalancerFails = true
            default:
                changes.append(.provisioning(item.ref, .error))
            }
        }
        changes += parents.map { parent in
            .provisioning(parent, parent.kind == .loadBalancer && loadBalancerFails ? .error : .active)
        }
        return changes
    }
}
