import Foundation
public import FulcrumModel
public import FulcrumQueue
public import FulcrumStore
import GRDB

/// The store on SQLite: resources with Octavia's locking, quotas, IPAM and amphorae. Every write
/// is one `BEGIN IMMEDIATE` transaction that either does everything (rows, `PENDING_*`, quota,
/// task row) or nothing.
public struct SQLiteStore: Sendable {
    let database: FulcrumDatabase
    let queueConfiguration: QueueConfiguration
    /// Limits for projects without explicit quotas.
    public let defaultQuota: Quota
    let clock: any WallClock

    /// Creates a store on `database`.
    public init(
        database: FulcrumDatabase,
        defaultQuota: Quota = .seedDefaults,
        queueConfiguration: QueueConfiguration = .init(),
        clock: any WallClock = SystemWallClock()
    ) {
        self.database = database
        self.defaultQuota = defaultQuota
        self.queueConfiguration = queueConfiguration
        self.clock = clock
    }

    /// The queue sharing this store's database.
    public var queue: SQLiteTaskQueue {
        SQLiteTaskQueue(database: database, configuration: queueConfiguration, clock: clock)
    }

    /// Runs a planned write: `plan` checks and writes rows, then the task row is inserted with
    /// the lock set and its revert writes, in the same transaction.
    func record(
        task: TaskRequest,
        _ plan: @escaping @Sendable (WritePlanner) throws -> (Resource?, LockSet, loadBalancerID: String)
    ) async throws -> WriteReceipt {
        let now = clock.now()
        let defaults = defaultQuota
        let queueConfiguration = queueConfiguration
        return try await database.immediateWrite { db in
            let (resource, lockSet, loadBalancerID) = try plan(WritePlanner(db: db, now: now, defaultQuota: defaults))
            var request = task
            request.loadBalancerID = loadBalancerID
            request.lockSet = lockSet
            request.onDead = lockSet.onFailure
            let taskID = try TaskRows.insert(request, in: db, now: now, configuration: queueConfiguration)
            return WriteReceipt(resource: resource, lockSet: lockSet, taskID: taskID)
        }
    }
}

extension SQLiteStore: ResourceStore {
    public func create(_ resource: Resource, options: CreateOptions, task: TaskRequest) async throws -> WriteReceipt {
        try await record(task: task) { try $0.create(resource, options: options) }
    }

    public func update(_ resource: Resource, task: TaskRequest) async throws -> WriteReceipt {
        try await record(task: task) { try $0.update(resource) }
    }

    public func delete(
        _ ref: ResourceRef, projectID: String?, cascade: Bool, task: TaskRequest
    ) async throws -> WriteReceipt {
        try await record(task: task) { try $0.delete(ref, projectID: projectID, cascade: cascade) }
    }

    public func failoverLoadBalancer(id: String, projectID: String?, task: TaskRequest) async throws -> WriteReceipt {
        try await record(task: task) { planner in
            let ref = ResourceRef(.loadBalancer, id)
            let lb = try planner.loadBalancer(id, projectID: projectID)
            guard lb.provisioningStatus.isFailoverable else { throw planner.invalidState(lb) }
            try ResourceRows.setProvisioning(.pendingUpdate, on: [ref], now: planner.now, in: planner.db)
            return (nil, LockSet(object: ref, operation: .failover, parents: []), id)
        }
    }

    public func failoverAmphora(id: String, task: TaskRequest) async throws -> WriteReceipt {
        try await record(task: task) { planner in
            guard
                let row = try Row.fetchOne(
                    planner.db, sql: "SELECT load_balancer_id, status FROM amphora WHERE id = ?", arguments: [id]),
                row["status"] != AmphoraStatus.deleted.rawValue
            else { throw StoreError.notFound(ResourceRef(.amphora, id)) }
            guard let lbID: String = row["load_balancer_id"] else {
                throw StoreError(.invalid, "Amphora \(id) is not assigned to a load balancer.")
            }
            let lb = try planner.loadBalancer(lbID, projectID: nil)
            try planner.requireMutable(lb)
            let lbRef = ResourceRef(.loadBalancer, lbID)
            try ResourceRows.setProvisioning(.pendingUpdate, on: [lbRef], now: planner.now, in: planner.db)
            return (nil, LockSet(object: ResourceRef(.amphora, id), operation: .failover, parents: [lbRef]), lbID)
        }
    }

    public func replaceMembers(
        poolID: String, projectID: String, members: [Member], additiveOnly: Bool, task: TaskRequest
    ) async throws -> WriteReceipt? {
        let now = clock.now()
        let defaults = defaultQuota
        let queueConfiguration = queueConfiguration
        return try await database.immediateWrite { db in
            let planner = WritePlanner(db: db, now: now, defaultQuota: defaults)
            guard
                let (lockSet, lbID) = try planner.replaceMembers(
                    poolID: poolID, projectID: projectID, members: members, additiveOnly: additiveOnly)
            else {
                return nil
            }
            var request = task
            request.loadBalancerID = lbID
            request.lockSet = lockSet
            request.onDead = lockSet.onFailure
            let taskID = try TaskRows.insert(request, in: db, now: now, configuration: queueConfiguration)
            return WriteReceipt(resource: nil, lockSet: lockSet, taskID: taskID)
        }
    }

    public func resource(_ ref: ResourceRef, projectID: String?) async throws -> Resource? {
        try await database.read { db in
            guard let resource = try ResourceRows.fetch(ref, in: db) else { return nil }
            if let projectID, resource.projectID != projectID { return nil }
            if case .loadBalancer(let lb) = resource, lb.provisioningStatus == .deleted { return nil }
            return resource
        }
    }

    public func resources(_ kind: ResourceKind, query: ResourceQuery) async throws -> [Resource] {
        try await database.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let projectID = query.projectID {
                conditions.append("project_id = ?")
                arguments.append(projectID)
            }
            if let parentID = query.parentID, let column = kind.parentColumn {
                conditions.append("\(column) = ?")
                arguments.append(parentID)
            }
            if kind == .loadBalancer && !query.includeDeleted {
                conditions.append("provisioning_status != 'DELETED'")
            }
            let condition = conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
            return try ResourceRows.fetchAll(kind, where: condition, arguments: StatementArguments(arguments), in: db)
        }
    }
}

extension ResourceKind {
    /// The column naming a child's parent.
    var parentColumn: String? {
        switch self {
        case .listener, .pool: "load_balancer_id"
        case .member, .healthMonitor: "pool_id"
        case .l7Policy: "listener_id"
        case .l7Rule: "l7policy_id"
        case .loadBalancer, .amphora: nil
        }
    }
}
