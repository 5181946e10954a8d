public import Foundation

/// One VM that serves a load balancer (Octavia §1.9).
public struct Amphora: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var loadBalancerID: String?
    public var computeID: String?
    /// Management-network address of the agent.
    public var lbNetworkIP: String?
    public var vrrpIP: String?
    public var haIP: String?
    public var vrrpPortID: String?
    public var haPortID: String?
    public var certExpiration: Date?
    public var certBusy: Bool
    public var role: AmphoraRole?
    public var status: AmphoraStatus
    public var vrrpInterface: String?
    public var vrrpID: Int?
    public var vrrpPriority: Int?
    public var cachedZone: String?
    public var imageID: String?
    public var computeFlavor: String?
    /// The subnet whose bridge the amphora's second NIC is on (a spare can only serve VIPs there).
    public var vipSubnetID: String?
    public var createdAt: Date
    public var updatedAt: Date?

    /// Creates an amphora record.
    public init(
        id: String,
        loadBalancerID: String? = nil,
        computeID: String? = nil,
        lbNetworkIP: String? = nil,
        vrrpIP: String? = nil,
        haIP: String? = nil,
        vrrpPortID: String? = nil,
        haPortID: String? = nil,
        certExpiration: Date? = nil,
        certBusy: Bool = false,
        role: AmphoraRole? = nil,
        status: AmphoraStatus = .pendingCreate,
        vrrpInterface: String? = nil,
        vrrpID: Int? = nil,
        vrrpPriority: Int? = nil,
        cachedZone: String? = nil,
        imageID: String? = nil,
        computeFlavor: String? = nil,
        vipSubnetID: String? = nil,
        createdAt: Date = Date(),
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.loadBalancerID = loadBalancerID
        self.computeID = computeID
        self.lbNetworkIP = lbNetworkIP
        self.vrrpIP = vrrpIP
        self.haIP = haIP
        self.vrrpPortID = vrrpPortID
        self.haPortID = haPortID
        self.certExpiration = certExpiration
        self.certBusy = certBusy
        self.role = role
        self.status = status
        self.vrrpInterface = vrrpInterface
        self.vrrpID = vrrpID
        self.vrrpPriority = vrrpPriority
        self.cachedZone = cachedZone
        self.imageID = imageID
        self.computeFlavor = computeFlavor
        self.vipSubnetID = vipSubnetID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Last heartbeat bookkeeping of an amphora (`amphora_health`).
public struct AmphoraHealth: Sendable, Codable, Hashable {
    public var amphoraID: String
    public var lastUpdate: Date
    /// Set while a failover or delete of the amphora is in progress.
    public var busy: Bool
    /// When the health manager judged the amphora stale, if it did.
    public var staleSince: Date?

    /// Creates a health row.
    public init(amphoraID: String, lastUpdate: Date, busy: Bool = false, staleSince: Date? = nil) {
        self.amphoraID = amphoraID
        self.lastUpdate = lastUpdate
        self.busy = busy
        self.staleSince = staleSince
    }
}

/// Counters of one listener on one amphora (Octavia §10).
public struct ListenerStatistics: Sendable, Codable, Hashable {
    public var listenerID: String
    public var amphoraID: String
    public var bytesIn: Int64
    public var bytesOut: Int64
    public var activeConnections: Int64
    public var totalConnections: Int64
    public var requestErrors: Int64

    /// Creates a statistics row.
    public init(
        listenerID: String,
        amphoraID: String,
        bytesIn: Int64 = 0,
        bytesOut: Int64 = 0,
        activeConnections: Int64 = 0,
        totalConnections: Int64 = 0,
        requestErrors: Int64 = 0
    ) {
        self.listenerID = listenerID
        self.amphoraID = amphoraID
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.activeConnections = activeConnections
        self.totalConnections = totalConnections
        self.requestErrors = requestErrors
    }
}
