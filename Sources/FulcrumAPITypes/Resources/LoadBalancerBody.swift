public import FulcrumModel

/// A load balancer as Octavia returns it (`{"loadbalancer": …}`).
public struct LoadBalancerBody: APIBody, Hashable {
    public var id: String
    public var name: String
    public var description: String
    public var adminStateUp: Bool
    public var projectID: String
    public var tenantID: String
    public var provisioningStatus: String
    public var operatingStatus: String
    public var vipAddress: String?
    public var vipPortID: String?
    public var vipSubnetID: String?
    public var vipNetworkID: String?
    public var vipQosPolicyID: String?
    public var vipVnicType: String
    public var vipSGIDs: [String]?
    public var additionalVips: [String]
    public var provider: String
    public var flavorID: String?
    public var availabilityZone: String?
    public var listeners: [IDRef]
    public var pools: [IDRef]
    public var tags: [String]
    public var createdAt: String
    public var updatedAt: String?
    /// Fulcrum extension: the load balancer's floating IPs. Octavia clients ignore attributes they do not
    /// know (python-octaviaclient shows a fixed column list, openstacksdk and gophercloud drop unknown keys),
    /// and the `fulcrum:` prefix, in the style of Neutron's `binding:` extension attributes, keeps it from ever
    /// colliding with an attribute a later Octavia adds. Optional so that bodies from servers without it decode.
    public var floatingIPs: [FloatingIPRef]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, description, provider, listeners, pools, tags
        case floatingIPs = "fulcrum:floating_ips"
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case provisioningStatus = "provisioning_status"
        case operatingStatus = "operating_status"
        case vipAddress = "vip_address"
        case vipPortID = "vip_port_id"
        case vipSubnetID = "vip_subnet_id"
        case vipNetworkID = "vip_network_id"
        case vipQosPolicyID = "vip_qos_policy_id"
        case vipVnicType = "vip_vnic_type"
        case vipSGIDs = "vip_sg_ids"
        case additionalVips = "additional_vips"
        case flavorID = "flavor_id"
        case availabilityZone = "availability_zone"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public static let attributeNames = CodingKeys.allCases.map(\.rawValue)

    /// The body of `lb` with its listeners, pools and floating IPs.
    public init(_ lb: LoadBalancer, listeners: [String], pools: [String], floatingIPs: [FloatingIP] = []) {
        id = lb.id
        name = lb.name
        description = lb.description
        adminStateUp = lb.adminStateUp
        projectID = lb.projectID
        tenantID = lb.projectID
        provisioningStatus = lb.provisioningStatus.rawValue
        operatingStatus = lb.operatingStatus.rawValue
        vipAddress = lb.vipAddress
        vipPortID = lb.vipPortID
        vipSubnetID = lb.vipSubnetID
        vipNetworkID = lb.vipNetworkID
        vipQosPolicyID = nil
        vipVnicType = "normal"
        vipSGIDs = nil
        additionalVips = []
        provider = lb.provider
        flavorID = lb.flavorID
        availabilityZone = lb.availabilityZone
        self.listeners = listeners.map(IDRef.init)
        self.pools = pools.map(IDRef.init)
        tags = lb.tags
        createdAt = APIDate.format(lb.createdAt)
        updatedAt = APIDate.format(lb.updatedAt)
        self.floatingIPs = floatingIPs.map(FloatingIPRef.init)
    }
}

/// The attributes of a load-balancer POST or PUT (`{"loadbalancer": …}`).
public struct LoadBalancerWrite: Codable, Sendable, Hashable {
    public var name: String?
    public var description: String?
    public var adminStateUp: Bool?
    public var projectID: String?
    public var tenantID: String?
    public var vipSubnetID: String?
    public var vipNetworkID: String?
    public var vipPortID: String?
    public var vipAddress: String?
    public var vipQosPolicyID: String?
    public var vipSGIDs: [String]?
    public var additionalVips: [JSONValue]?
    public var provider: String?
    public var flavorID: String?
    public var availabilityZone: String?
    public var listeners: [JSONValue]?
    public var pools: [JSONValue]?
    public var tags: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, provider, listeners, pools, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case vipSubnetID = "vip_subnet_id"
        case vipNetworkID = "vip_network_id"
        case vipPortID = "vip_port_id"
        case vipAddress = "vip_address"
        case vipQosPolicyID = "vip_qos_policy_id"
        case vipSGIDs = "vip_sg_ids"
        case additionalVips = "additional_vips"
        case flavorID = "flavor_id"
        case availabilityZone = "availability_zone"
    }

    /// Attributes a POST may carry.
    public static let createAttributes = Set(CodingKeys.allCases.map(\.rawValue))
    /// Attributes a PUT may carry.
    public static let updateAttributes: Set<String> = [
        "name", "description", "admin_state_up", "vip_qos_policy_id", "vip_sg_ids", "tags",
    ]

    /// Creates an empty write.
    public init() {}

    /// The new load balancer with Octavia's defaults (VIP subnet resolved by the caller).
    public func makeLoadBalancer(id: String, projectID: String, subnet: Subnet) -> LoadBalancer {
        LoadBalancer(
            id: id, projectID: projectID, name: name ?? "", description: description ?? "",
            adminStateUp: adminStateUp ?? true, vipSubnetID: subnet.id, vipNetworkID: subnet.networkID,
            vipAddress: vipAddress, provider: provider ?? "amphora", flavorID: flavorID,
            availabilityZone: availabilityZone, tags: tags ?? [])
    }

    /// `lb` with this PUT applied; `nulls` are the attributes sent as `null`.
    public func apply(to lb: LoadBalancer, nulls: Set<String>) -> LoadBalancer {
        var updated = lb
        if let name { updated.name = name } else if nulls.contains("name") { updated.name = "" }
        if let description {
            updated.description = description
        } else if nulls.contains("description") {
            updated.description = ""
        }
        if let adminStateUp {
            updated.adminStateUp = adminStateUp
        } else if nulls.contains("admin_state_up") {
            updated.adminStateUp = false
        }
        if let tags { updated.tags = tags } else if nulls.contains("tags") { updated.tags = [] }
        return updated
    }
}
