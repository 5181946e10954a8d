extension StatusRollup {
    /// What the store knows about one load balancer when a heartbeat arrives.
    public struct Snapshot: Sendable, Hashable {
        /// The load balancer's id.
        public var loadBalancerID: String
        /// The load balancer's `admin_state_up`.
        public var enabled: Bool
        /// The load balancer's provisioning status.
        public var provisioningStatus: ProvisioningStatus
        /// The load balancer's current operating status.
        public var operatingStatus: OperatingStatus
        /// Its listeners, in a stable order (the order of the emitted changes).
        public var listeners: [ListenerState]
        /// Its pools, in a stable order.
        public var pools: [PoolState]
        /// The members of its pools, in a stable order.
        public var members: [MemberState]

        /// Creates a snapshot.
        public init(
            loadBalancerID: String,
            enabled: Bool = true,
            provisioningStatus: ProvisioningStatus = .active,
            operatingStatus: OperatingStatus,
            listeners: [ListenerState] = [],
            pools: [PoolState] = [],
            members: [MemberState] = []
        ) {
            self.loadBalancerID = loadBalancerID
            self.enabled = enabled
            self.provisioningStatus = provisioningStatus
            self.operatingStatus = operatingStatus
            self.listeners = listeners
            self.pools = pools
            self.members = members
        }
    }

    /// A listener as the roll-up sees it.
    public struct ListenerState: Sendable, Hashable {
        /// The listener's id.
        public var id: String
        /// The listener's `admin_state_up`.
        public var enabled: Bool
        /// The listener's current operating status.
        public var operatingStatus: OperatingStatus

        /// Creates a listener state.
        public init(id: String, enabled: Bool = true, operatingStatus: OperatingStatus) {
            self.id = id
            self.enabled = enabled
            self.operatingStatus = operatingStatus
        }
    }

    /// A pool as the roll-up sees it. `enabled` and `hasHealthMonitor` are carried for callers;
    /// as in Octavia, the roll-up itself reads only the report (an admin-down pool is simply
    /// absent from it, a pool without monitor reports its members as `no check`).
    public struct PoolState: Sendable, Hashable {
        /// The pool's id.
        public var id: String
        /// The pool's `admin_state_up`.
        public var enabled: Bool
        /// Whether the pool has a health monitor.
        public var hasHealthMonitor: Bool
        /// The pool's current operating status.
        public var operatingStatus: OperatingStatus

        /// Creates a pool state.
        public init(id: String, enabled: Bool = true, hasHealthMonitor: Bool = false, operatingStatus: OperatingStatus)
        {
            self.id = id
            self.enabled = enabled
            self.hasHealthMonitor = hasHealthMonitor
            self.operatingStatus = operatingStatus
        }
    }

    /// A member as the roll-up sees it.
    public struct MemberState: Sendable, Hashable {
        /// The member's id.
        public var id: String
        /// The id of the member's pool.
        public var poolID: String
        /// The member's `admin_state_up` (an admin-down member is reported `MAINT`).
        public var enabled: Bool
        /// The member's weight; an `UP` member of weight 0 is `DRAINING`.
        public var weight: Int
        /// The member's current operating status.
        public var operatingStatus: OperatingStatus

        /// Creates a member state.
        public init(id: String, poolID: String, enabled: Bool = true, weight: Int = 1, operatingStatus: OperatingStatus)
        {
            self.id = id
            self.poolID = poolID
            self.enabled = enabled
            self.weight = weight
            self.operatingStatus = operatingStatus
        }
    }

    /// The status part of one heartbeat (Octavia v3 `listeners` and `pools`).
    public struct Report: Sendable, Hashable {
        /// Listener id → `"OPEN"` or `"FULL"`.
        public var listeners: [String: String]
        /// Pool key (`"<pool>"` or `"<pool>:<listener>"`) → the pool's report.
        public var pools: [String: PoolReport]

        /// Creates a report.
        public init(listeners: [String: String] = [:], pools: [String: PoolReport] = [:]) {
            self.listeners = listeners
            self.pools = pools
        }
    }

    /// One pool's entry in a heartbeat.
    public struct PoolReport: Sendable, Hashable {
        /// `"UP"` or `"DOWN"`.
        public var status: String
        /// Member id → `"UP"`, `"DOWN"` (maybe with a `" 1/3"` suffix), `"DRAIN"`, `"MAINT"`,
        /// `"no check"` or `"RESTARTING"`.
        public var members: [String: String]

        /// Creates a pool report.
        public init(status: String, members: [String: String] = [:]) {
            self.status = status
            self.members = members
        }
    }

    /// The operating statuses the roll-up computed; every object of the snapshot has an entry.
    public struct Result: Sendable, Hashable {
        /// The load balancer's new operating status.
        public var loadBalancer: OperatingStatus
        /// Listener id → new operating status.
        public var listeners: [String: OperatingStatus]
        /// Pool id → new operating status.
        public var pools: [String: OperatingStatus]
        /// Member id → new operating status.
        public var members: [String: OperatingStatus]

        /// Creates a result.
        public init(
            loadBalancer: OperatingStatus,
            listeners: [String: OperatingStatus] = [:],
            pools: [String: OperatingStatus] = [:],
            members: [String: OperatingStatus] = [:]
        ) {
            self.loadBalancer = loadBalancer
            self.listeners = listeners
            self.pools = pools
            self.members = members
        }
    }
}
