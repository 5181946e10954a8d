/// `GET …/loadbalancers/{id}/status`: `{"statuses": {"loadbalancer": …}}` (pools nested under listeners,
/// monitor under key `health_monitor`, as Octavia's code does).
public struct StatusTree: Codable, Sendable, Hashable {
    public var loadbalancer: LoadBalancerStatus

    /// Creates a tree.
    public init(loadbalancer: LoadBalancerStatus) { self.loadbalancer = loadbalancer }

    /// The load balancer node.
    public struct LoadBalancerStatus: Codable, Sendable, Hashable {
        public var id, name, provisioningStatus, operatingStatus: String
        public var listeners: [ListenerStatus]

        enum CodingKeys: String, CodingKey {
            case id, name, listeners
            case provisioningStatus = "provisioning_status"
            case operatingStatus = "operating_status"
        }

        /// Creates the node.
        public init(
            id: String, name: String, provisioningStatus: String, operatingStatus: String, listeners: [ListenerStatus]
        ) {
            self.id = id
            self.name = name
            self.provisioningStatus = provisioningStatus
            self.operatingStatus = operatingStatus
            self.listeners = listeners
        }
    }

    /// A listener node.
    public struct ListenerStatus: Codable, Sendable, Hashable {
        public var id, name, provisioningStatus, operatingStatus: String
        public var pools: [PoolStatus]

        enum CodingKeys: String, CodingKey {
            case id, name, pools
            case provisioningStatus = "provisioning_status"
            case operatingStatus = "operating_status"
        }

        /// Creates the node.
        public init(id: String, name: String, provisioningStatus: String, operatingStatus: String, pools: [PoolStatus])
        {
            self.id = id
            self.name = name
            self.provisioningStatus = provisioningStatus
            self.operatingStatus = operatingStatus
            self.pools = pools
        }
    }

    /// A pool node.
    public struct PoolStatus: Codable, Sendable, Hashable {
        public var id, name, provisioningStatus, operatingStatus: String
        public var healthMonitor: MonitorStatus?
        public var members: [MemberStatus]

        enum CodingKeys: String, CodingKey {
            case id, name, members
            case healthMonitor = "health_monitor"
            case provisioningStatus = "provisioning_status"
            case operatingStatus = "operating_status"
        }

        /// Creates the node.
        public init(
            id: String, name: String, provisioningStatus: String, operatingStatus: String,
            healthMonitor: MonitorStatus?, members: [MemberStatus]
        ) {
            self.id = id
            self.name = name
            self.provisioningStatus = provisioningStatus
            self.operatingStatus = operatingStatus
            self.healthMonitor = healthMonitor
            self.members = members
        }
    }

    /// A health-monitor node.
    public struct MonitorStatus: Codable, Sendable, Hashable {
        public var id, name, type, provisioningStatus, operatingStatus: String

        enum CodingKeys: String, CodingKey {
            case id, name, type
            case provisioningStatus = "provisioning_status"
            case operatingStatus = "operating_status"
        }

        /// Creates the node.
        public init(id: String, name: String, type: String, provisioningStatus: String, operatingStatus: String) {
            self.id = id
            self.name = name
            self.type = type
            self.provisioningStatus = provisioningStatus
            self.operatingStatus = operatingStatus
        }
    }

    /// A member node.
    public struct MemberStatus: Codable, Sendable, Hashable {
        public var id, name, address, provisioningStatus, operatingStatus: String
        public var protocolPort: Int

        enum CodingKeys: String, CodingKey {
            case id, name, address
            case protocolPort = "protocol_port"
            case provisioningStatus = "provisioning_status"
            case operatingStatus = "operating_status"
        }

        /// Creates the node.
        public init(
            id: String, name: String, address: String, protocolPort: Int, provisioningStatus: String,
            operatingStatus: String
        ) {
            self.id = id
            self.name = name
            self.address = address
            self.protocolPort = protocolPort
            self.provisioningStatus = provisioningStatus
            self.operatingStatus = operatingStatus
        }
    }
}
