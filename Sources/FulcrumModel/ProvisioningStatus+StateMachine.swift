extension ProvisioningStatus {
    /// The provisioning statuses reachable from this one in one step (reference §3):
    /// `PENDING_CREATE → ACTIVE | ERROR`, `ACTIVE → PENDING_UPDATE | PENDING_DELETE`,
    /// `ERROR → PENDING_UPDATE (failover, retry) | PENDING_DELETE`,
    /// `PENDING_UPDATE → ACTIVE | ERROR`, `PENDING_DELETE → DELETED | ERROR`; `DELETED` is final.
    public var successors: Set<ProvisioningStatus> {
        switch self {
        case .pendingCreate: [.active, .error]
        case .active: [.pendingUpdate, .pendingDelete]
        case .error: [.pendingUpdate, .pendingDelete]
        case .pendingUpdate: [.active, .error]
        case .pendingDelete: [.deleted, .error]
        case .deleted: []
        }
    }

    /// Whether the object may move from this status to `next` in one step.
    public func canTransition(to next: ProvisioningStatus) -> Bool {
        successors.contains(next)
    }

    /// Whether the object (a load balancer, or a pool for its members) accepts changes:
    /// `ACTIVE` only; anything else is Octavia's 409 "immutable".
    public var isMutable: Bool { self == .active }

    /// Whether a delete may start: `ACTIVE` or `ERROR`.
    public var isDeletable: Bool { self == .active || self == .error }

    /// Whether a failover may start: `ACTIVE` or `ERROR`.
    public var isFailoverable: Bool { self == .active || self == .error }
}

/// The provisioning lifecycle of one object as a value-type state machine: the API's
/// `begin` events move a settled object to `PENDING_*`; the worker's `succeed`/`fail` events
/// settle it again. Callers persist `status` and carry out the returned action.
public struct ProvisioningStateMachine: Sendable, Hashable {
    /// The current status.
    public private(set) var status: ProvisioningStatus

    /// An operation the API starts on a settled object.
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        /// PUT: `ACTIVE → PENDING_UPDATE`.
        case update
        /// DELETE: `ACTIVE | ERROR → PENDING_DELETE`.
        case delete
        /// Failover: `ACTIVE | ERROR → PENDING_UPDATE`.
        case failover
    }

    /// What the caller must do after an event.
    public enum Action: Sendable, Hashable {
        /// Persist `status` and enqueue the flow for the operation.
        case startFlow(ProvisioningStatus)
        /// Persist `status`; the object is settled (`ACTIVE`, `ERROR` or `DELETED`).
        case settle(ProvisioningStatus)
        /// The event is not allowed now; answer 409 and change nothing.
        case reject(current: ProvisioningStatus)
    }

    /// Starts from `status` (a new object is `PENDING_CREATE`).
    public init(status: ProvisioningStatus = .pendingCreate) {
        self.status = status
    }

    /// The API begins `operation`; rejected unless the status allows it.
    public mutating func begin(_ operation: Operation) -> Action {
        let allowed: Bool
        switch operation {
        case .update: allowed = status.isMutable
        case .delete: allowed = status.isDeletable
        case .failover: allowed = status.isFailoverable
        }
        guard allowed else { return .reject(current: status) }
        status = operation == .delete ? .pendingDelete : .pendingUpdate
        return .startFlow(status)
    }

    /// The flow finished: `PENDING_DELETE → DELETED`, other pending states → `ACTIVE`.
    public mutating func succeed() -> Action {
        guard status.isPending else { return .reject(current: status) }
        status = status == .pendingDelete ? .deleted : .active
        return .settle(status)
    }

    /// The flow failed and was reverted: any pending state → `ERROR`.
    public mutating func fail() -> Action {
        guard status.isPending else { return .reject(current: status) }
        status = .error
        return .settle(status)
    }
}
