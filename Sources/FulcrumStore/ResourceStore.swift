public import Foundation
public import FulcrumModel
public import FulcrumQueue

/// Options of a create that are not attributes of the created value.
public struct CreateOptions: Sendable, Hashable {
    /// For a pool: the listener whose default pool it becomes (Octavia's `listener_id`).
    public var defaultPoolOfListener: String?

    /// Creates options.
    public init(defaultPoolOfListener: String? = nil) {
        self.defaultPoolOfListener = defaultPoolOfListener
    }
}

/// What a recorded write did: the stored object, the objects it locked and the task enqueued.
public struct WriteReceipt: Sendable, Hashable {
    /// The object as stored after the write (`nil` for deletes).
    public var resource: Resource?
    /// The object and parents set to `PENDING_*`.
    public var lockSet: LockSet
    /// The task that will carry the write out.
    public var taskID: Int64

    /// Creates a receipt.
    public init(resource: Resource?, lockSet: LockSet, taskID: Int64) {
        self.resource = resource
        self.lockSet = lockSet
        self.taskID = taskID
    }
}

/// Which objects a list returns.
public struct ResourceQuery: Sendable, Hashable {
    /// Only this project's objects; `nil` for all projects (admin).
    public var projectID: String?
    /// Only children of this parent (load balancer for listeners/pools, pool for members,
    /// listener for L7 policies, policy for rules).
    public var parentID: String?
    /// Include soft-deleted load balancers.
    public var includeDeleted: Bool

    /// Creates a query.
    public init(projectID: String? = nil, parentID: String? = nil, includeDeleted: Bool = false) {
        self.projectID = projectID
        self.parentID = parentID
        self.includeDeleted = includeDeleted
    }
}

/// Load balancers and their children, with Octavia's locking semantics: every write checks the
/// preconditions of reference §3, sets `PENDING_*` on the object and its parents, checks the
/// project's quota and enqueues `task` — all in one transaction — or changes nothing.
public protocol ResourceStore: Sendable {
    /// Records a create. A load balancer gets its VIP from IPAM (its `vipAddress` if free).
    func create(_ resource: Resource, options: CreateOptions, task: TaskRequest) async throws -> WriteReceipt
    /// Records an update; `resource` is the complete new value (immutable attributes must match).
    func update(_ resource: Resource, task: TaskRequest) async throws -> WriteReceipt
    /// Records a delete. A load balancer with children needs `cascade`.
    func delete(_ ref: ResourceRef, projectID: String?, cascade: Bool, task: TaskRequest) async throws -> WriteReceipt
    /// Records a load-balancer failover (LB must be ACTIVE or ERROR).
    func failoverLoadBalancer(id: String, projectID: String?, task: TaskRequest) async throws -> WriteReceipt
    /// Records an amphora failover (its LB must be ACTIVE).
    func failoverAmphora(id: String, task: TaskRequest) async throws -> WriteReceipt
    /// Replaces a pool's members in one write (Octavia's batch update): new members are created,
    /// matching (address, port) ones updated, the rest deleted unless `additiveOnly`.
    /// Returns `nil` when nothing would change.
    func replaceMembers(
        poolID: String, projectID: String, members: [Member], additiveOnly: Bool, task: TaskRequest
    ) async throws -> WriteReceipt?
    /// One object; `nil` when absent or (with `projectID`) owned by another project.
    func resource(_ ref: ResourceRef, projectID: String?) async throws -> Resource?
    /// Objects of one kind, oldest first.
    func resources(_ kind: ResourceKind, query: ResourceQuery) async throws -> [Resource]
}

/// Per-project quotas (reference §4), checked by `ResourceStore` writes.
public protocol QuotaStore: Sendable {
    /// The explicit limits of a project (missing resources use the defaults).
    func quota(projectID: String) async throws -> Quota
    /// Limits a project actually gets: explicit values, else the defaults.
    func effectiveQuota(projectID: String) async throws -> Quota
    /// Sets explicit limits; resources absent from `quota` keep their current explicit value.
    func setQuota(projectID: String, _ quota: Quota) async throws -> Quota
    /// Removes every explicit limit of a project.
    func resetQuota(projectID: String) async throws
    /// Projects with explicit limits.
    func quotas() async throws -> [String: Quota]
    /// Objects counted against each quota.
    func usage(projectID: String) async throws -> [QuotaResource: Int]
    /// The defaults.
    var defaultQuota: Quota { get }
}

/// One address IPAM has handed out.
public struct AddressAllocation: Sendable, Hashable {
    public var subnetID: String
    public var address: IPv4Address
    public var ownerID: String
    /// `vip`, `vrrp`, `management` …
    public var purpose: String

    /// Creates an allocation value.
    public init(subnetID: String, address: IPv4Address, ownerID: String, purpose: String) {
        self.subnetID = subnetID
        self.address = address
        self.ownerID = ownerID
        self.purpose = purpose
    }
}

/// Subnets and IPAM: an address is never handed out twice.
public protocol NetworkStore: Sendable {
    /// Makes the stored subnets match the configured ones (added or updated; none removed while
    /// addresses are allocated on them).
    func syncSubnets(_ subnets: [Subnet]) async throws
    /// Configured subnets.
    func subnets() async throws -> [Subnet]
    /// Allocates `requested` if free and allocatable, else (when `requested` is nil) the lowest
    /// free address of the subnet's allocation range.
    func allocateAddress(
        subnetID: String, ownerID: String, purpose: String, requested: IPv4Address?
    ) async throws -> IPv4Address
    /// Releases every address of an owner; returns how many.
    @discardableResult
    func releaseAddresses(ownerID: String) async throws -> Int
    /// Allocations on a subnet.
    func allocations(subnetID: String) async throws -> [AddressAllocation]
}

/// Amphora rows and their heartbeat bookkeeping.
public protocol AmphoraStore: Sendable {
    /// Inserts a new amphora row.
    func insertAmphora(_ amphora: Amphora) async throws
    /// Replaces an amphora row.
    func updateAmphora(_ amphora: Amphora) async throws
    /// One amphora.
    func amphora(id: String) async throws -> Amphora?
    /// Amphorae, optionally of one load balancer; `DELETED` ones only when asked.
    func amphorae(loadBalancerID: String?, includeDeleted: Bool) async throws -> [Amphora]
    /// Records a heartbeat (creates the health row on the first one).
    func recordHeartbeat(amphoraID: String, at: Date) async throws
    /// The health row of an amphora.
    func amphoraHealth(id: String) async throws -> AmphoraHealth?
    /// Assigns the oldest `READY` spare amphora whose VIP NIC is on `vipSubnetID` to `loadBalancerID` with
    /// `role` (status `BOOTING` until its configuration is applied), atomically; nil when there is none.
    func claimSpare(vipSubnetID: String, loadBalancerID: String, role: AmphoraRole) async throws -> Amphora?
    /// Removes `DELETED` load balancers and amphorae last updated before the cut-offs.
    func purgeDeleted(
        loadBalancersBefore: Date, amphoraeBefore: Date
    ) async throws -> (loadBalancers: Int, amphorae: Int)
}
