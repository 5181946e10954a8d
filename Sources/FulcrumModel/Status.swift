/// The control plane's view of an object (Octavia's `provisioning_status`).
public enum ProvisioningStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case active = "ACTIVE"
    case deleted = "DELETED"
    case error = "ERROR"
    case pendingCreate = "PENDING_CREATE"
    case pendingUpdate = "PENDING_UPDATE"
    case pendingDelete = "PENDING_DELETE"

    /// Whether a flow is in progress for the object.
    public var isPending: Bool {
        switch self {
        case .pendingCreate, .pendingUpdate, .pendingDelete: true
        case .active, .deleted, .error: false
        }
    }
}

/// The data plane's view of an object (Octavia's `operating_status`), set from heartbeats.
public enum OperatingStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case online = "ONLINE"
    case offline = "OFFLINE"
    case degraded = "DEGRADED"
    case error = "ERROR"
    case draining = "DRAINING"
    case noMonitor = "NO_MONITOR"
}

/// Kinds of resource the API manages and the store locks.
public enum ResourceKind: String, Sendable, Codable, CaseIterable, Hashable {
    case loadBalancer = "loadbalancer"
    case listener
    case pool
    case member
    case healthMonitor = "healthmonitor"
    case l7Policy = "l7policy"
    case l7Rule = "l7rule"
    case amphora

    /// The name Octavia uses in messages, e.g. "Load Balancer 1234 not found."
    public var displayName: String {
        switch self {
        case .loadBalancer: "Load Balancer"
        case .listener: "Listener"
        case .pool: "Pool"
        case .member: "Member"
        case .healthMonitor: "Health Monitor"
        case .l7Policy: "L7 Policy"
        case .l7Rule: "L7 Rule"
        case .amphora: "Amphora"
        }
    }
}

/// A typed reference to one resource.
public struct ResourceRef: Sendable, Codable, Hashable, CustomStringConvertible {
    /// The resource kind.
    public var kind: ResourceKind
    /// The resource id.
    public var id: String

    /// Creates a reference.
    public init(_ kind: ResourceKind, _ id: String) {
        self.kind = kind
        self.id = id
    }

    public var description: String { "\(kind.rawValue) \(id)" }
}
