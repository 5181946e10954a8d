public import Foundation
public import FulcrumModel
public import FulcrumQueue
public import FulcrumSQLite
public import FulcrumStore

/// A migrated SQLite store in a temporary file with the lab's `private-subnet`, plus helpers
/// that drive objects to `ACTIVE` through the real write and completion paths.
public struct StoreFixture: Sendable {
    public let directory: TemporaryDirectory
    public let database: FulcrumDatabase
    public let store: SQLiteStore
    public let clock: ManualWallClock
    public let ids: SequentialIDs
    public let project = "project-a"

    /// The lab's VIP subnet (198.51.100.0/24, gateway .1).
    public static let privateSubnet = Subnet(
        name: "private-subnet", cidr: IPv4Network("198.51.100.0/24")!, gateway: IPv4Address("198.51.100.1")!,
        allocationStart: IPv4Address("198.51.100.10")!, allocationEnd: IPv4Address("198.51.100.250")!,
        bridge: "fulcrum-private")

    /// Creates the fixture.
    public init(defaultQuota: Quota = .seedDefaults, queue: QueueConfiguration = .init()) async throws {
        directory = try TemporaryDirectory()
        database = try FulcrumDatabase.open(path: directory.path + "/fulcrum.db")
        try database.migrate()
        clock = ManualWallClock()
        ids = SequentialIDs()
        store = SQLiteStore(database: database, defaultQuota: defaultQuota, queueConfiguration: queue, clock: clock)
        try await store.syncSubnets([Self.privateSubnet])
    }

    /// The database file path (for second processes or second pools).
    public var databasePath: String { directory.path + "/fulcrum.db" }

    /// A task request for tests.
    public func task(_ kind: String = "test") -> TaskRequest { TaskRequest(kind: kind) }

    /// Claims every runnable task and completes it with its lock set's success writes, as a
    /// worker would after a successful flow.
    public func completeAll() async throws {
        while let claimed = try await store.queue.claim(owner: "fixture") {
            try await store.queue.complete(claimed.lease, changes: claimed.task.lockSet?.onSuccess ?? [])
        }
    }

    /// Creates and activates a load balancer.
    @discardableResult
    public func activeLoadBalancer(project: String? = nil, vip: String? = nil) async throws -> LoadBalancer {
        let lb = LoadBalancer(
            id: ids.next(), projectID: project ?? self.project, vipSubnetID: "private-subnet", vipAddress: vip)
        _ = try await store.create(.loadBalancer(lb), options: .init(), task: task())
        try await completeAll()
        return try await fetch(.loadBalancer, lb.id)
    }

    /// Creates and activates a resource.
    @discardableResult
    public func activate(_ resource: Resource, options: CreateOptions = .init()) async throws -> Resource {
        _ = try await store.create(resource, options: options, task: task())
        try await completeAll()
        guard let stored = try await store.resource(resource.ref, projectID: nil) else {
            throw StoreError.notFound(resource.ref)
        }
        return stored
    }

    /// A stored load balancer.
    public func fetch(_ kind: ResourceKind, _ id: String) async throws -> LoadBalancer {
        guard case .loadBalancer(let lb)? = try await store.resource(ResourceRef(kind, id), projectID: nil) else {
            throw StoreError.notFound(ResourceRef(kind, id))
        }
        return lb
    }

    /// The provisioning status of any stored object (`nil` when the row is gone).
    public func status(_ ref: ResourceRef) async throws -> ProvisioningStatus? {
        try await store.resource(ref, projectID: nil)?.provisioningStatus
    }

    /// A full ACTIVE tree: LB → HTTP listener → default HTTP pool → member + HTTP monitor,
    /// and an L7 policy with one rule.
    public func activeTree() async throws -> Tree {
        let lb = try await activeLoadBalancer()
        let listener = Listener(
            id: ids.next(), projectID: project, loadBalancerID: lb.id, protocol: .http, protocolPort: 80)
        try await activate(.listener(listener))
        let pool = Pool(
            id: ids.next(), projectID: project, loadBalancerID: lb.id, protocol: .http, lbAlgorithm: .roundRobin)
        try await activate(.pool(pool), options: CreateOptions(defaultPoolOfListener: listener.id))
        let member = Member(
            id: ids.next(), projectID: project, poolID: pool.id, address: "198.51.100.16", protocolPort: 80)
        try await activate(.member(member))
        let monitor = HealthMonitor(
            id: ids.next(), projectID: project, poolID: pool.id, type: .http, delay: 5, timeout: 10, maxRetries: 2)
        try await activate(.healthMonitor(monitor))
        let policy = L7Policy(id: ids.next(), projectID: project, listenerID: listener.id, action: .reject)
        try await activate(.l7Policy(policy))
        let rule = L7Rule(
            id: ids.next(), projectID: project, l7PolicyID: policy.id, type: .path, compareType: .startsWith,
            value: "/api")
        try await activate(.l7Rule(rule))
        return Tree(
            lb: lb.id, listener: listener.id, pool: pool.id, member: member.id, monitor: monitor.id, policy: policy.id,
            rule: rule.id)
    }

    /// Ids of an `activeTree()`.
    public struct Tree: Sendable {
        public var lb, listener, pool, member, monitor, policy, rule: String
    }
}

extension StoreFixture {
    /// Forces statuses through the queue's final-write path (as a finishing flow would).
    public func force(_ changes: [StatusChange]) async throws {
        try await completeAll()
        _ = try await store.queue.enqueue(TaskRequest(kind: "force"))
        guard let claimed = try await store.queue.claim(owner: "force") else { return }
        try await store.queue.complete(claimed.lease, changes: changes)
    }

    /// Number of task rows.
    public func taskCount() async throws -> Int {
        try await store.queue.counts().values.reduce(0, +)
    }
}
