public import Foundation

/// A load balancer: a VIP address on a subnet (Octavia §1.1).
public struct LoadBalancer: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var projectID: String
    public var name: String
    public var description: String
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    /// The VIP subnet id (a configured subnet).
    public var vipSubnetID: String
    /// The VIP network id (the subnet's network).
    public var vipNetworkID: String?
    /// The VIP address; `nil` before allocation means "next free address".
    public var vipAddress: String?
    public var vipPortID: String?
    public var provider: String
    public var flavorID: String?
    public var availabilityZone: String?
    public var topology: Topology
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date?

    /// Creates a load balancer with Octavia's defaults for a new object.
    public init(
        id: String,
        projectID: String,
        name: String = "",
        description: String = "",
        adminStateUp: Bool = true,
        provisioningStatus: ProvisioningStatus = .pendingCreate,
        operatingStatus: OperatingStatus = .offline,
        vipSubnetID: String,
        vipNetworkID: String? = nil,
        vipAddress: String? = nil,
        vipPortID: String? = nil,
        provider: String = "amphora",
        flavorID: String? = nil,
        availabilityZone: String? = nil,
        topology: Topology = .single,
        tags: [String] = [],
        createdAt: Date = Date(),
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.projectID = projectID
        self.name = name
        self.description = description
        self.adminStateUp = adminStateUp
        self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus
        self.vipSubnetID = vipSubnetID
        self.vipNetworkID = vipNetworkID
        self.vipAddress = vipAddress
        self.vipPortID = vipPortID
        self.provider = provider
        self.flavorID = flavorID
        self.availabilityZone = availabilityZone
        self.topology = topology
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
