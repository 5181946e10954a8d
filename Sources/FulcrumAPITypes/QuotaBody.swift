public import FulcrumModel

/// Per-project limits as Octavia returns them (`{"quota": …}`), including the deprecated aliases.
public struct QuotaBody: APIBody, Hashable {
    public var loadbalancer: Int?
    public var loadBalancer: Int?
    public var listener: Int?
    public var pool: Int?
    public var healthmonitor: Int?
    public var healthMonitor: Int?
    public var member: Int?
    public var l7policy: Int?
    public var l7rule: Int?
    public var projectID: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case loadbalancer, listener, pool, healthmonitor, member, l7policy, l7rule
        case loadBalancer = "load_balancer"
        case healthMonitor = "health_monitor"
        case projectID = "project_id"
    }

    public static let attributeNames = CodingKeys.allCases.map(\.rawValue)

    /// The body of a quota (every resource filled from `quota`, `nil` where unset).
    public init(_ quota: Quota, projectID: String?) {
        loadbalancer = quota[.loadBalancer]
        loadBalancer = quota[.loadBalancer]
        listener = quota[.listener]
        pool = quota[.pool]
        healthmonitor = quota[.healthMonitor]
        healthMonitor = quota[.healthMonitor]
        member = quota[.member]
        l7policy = quota[.l7Policy]
        l7rule = quota[.l7Rule]
        self.projectID = projectID
    }

    /// The limits this body sets (aliases folded in; a `nil` attribute sets nothing).
    public var quota: Quota {
        var quota = Quota()
        quota[.loadBalancer] = loadbalancer ?? loadBalancer
        quota[.listener] = listener
        quota[.pool] = pool
        quota[.healthMonitor] = healthmonitor ?? healthMonitor
        quota[.member] = member
        quota[.l7Policy] = l7policy
        quota[.l7Rule] = l7rule
        return quota
    }

    /// Attributes a PUT may carry.
    public static let updateAttributes = Set(attributeNames).subtracting(["project_id"])
}

/// Load-balancer or listener statistics (`{"stats": …}`).
public struct StatsBody: Codable, Sendable, Hashable {
    public var bytesIn: Int
    public var bytesOut: Int
    public var activeConnections: Int
    public var totalConnections: Int
    public var requestErrors: Int

    enum CodingKeys: String, CodingKey {
        case bytesIn = "bytes_in"
        case bytesOut = "bytes_out"
        case activeConnections = "active_connections"
        case totalConnections = "total_connections"
        case requestErrors = "request_errors"
    }

    /// Creates statistics.
    public init(
        bytesIn: Int = 0, bytesOut: Int = 0, activeConnections: Int = 0, totalConnections: Int = 0,
        requestErrors: Int = 0
    ) {
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.activeConnections = activeConnections
        self.totalConnections = totalConnections
        self.requestErrors = requestErrors
    }
}

/// A provider (`{"providers": [{name, description}]}`).
public struct ProviderBody: Codable, Sendable, Hashable {
    public var name: String
    public var description: String

    /// Creates a provider entry.
    public init(name: String, description: String) {
        self.name = name
        self.description = description
    }
}
