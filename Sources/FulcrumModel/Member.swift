public import Foundation

/// A pool member: an address and port that receives traffic (Octavia §1.4).
public struct Member: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var projectID: String
    public var poolID: String
    public var name: String
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var address: String
    public var protocolPort: Int
    /// 0...256; 0 drains the member.
    public var weight: Int
    public var backup: Bool
    public var subnetID: String?
    public var monitorAddress: String?
    public var monitorPort: Int?
    public var requestSRIOV: Bool
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date?

    /// Creates a member with Octavia's defaults. The initial operating status is `OFFLINE`
    /// when the pool has a health monitor and `NO_MONITOR` otherwise (see `initialOperatingStatus`).
    public init(
        id: String,
        projectID: String,
        poolID: String,
        name: String = "",
        adminStateUp: Bool = true,
        provisioningStatus: ProvisioningStatus = .pendingCreate,
        operatingStatus: OperatingStatus = .noMonitor,
        address: String,
        protocolPort: Int,
        weight: Int = 1,
        backup: Bool = false,
        subnetID: String? = nil,
        monitorAddress: String? = nil,
        monitorPort: Int? = nil,
        requestSRIOV: Bool = false,
        tags: [String] = [],
        createdAt: Date = Date(),
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.projectID = projectID
        self.poolID = poolID
        self.name = name
        self.adminStateUp = adminStateUp
        self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus
        self.address = address
        self.protocolPort = protocolPort
        self.weight = weight
        self.backup = backup
        self.subnetID = subnetID
        self.monitorAddress = monitorAddress
        self.monitorPort = monitorPort
        self.requestSRIOV = requestSRIOV
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Octavia's initial operating status of a new member.
    public static func initialOperatingStatus(poolHasHealthMonitor: Bool) -> OperatingStatus {
        poolHasHealthMonitor ? .offline : .noMonitor
    }
}
