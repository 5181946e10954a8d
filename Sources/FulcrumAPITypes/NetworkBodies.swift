public import FulcrumModel

/// A configured subnet as Neutron's `GET /v2.0/subnets` returns it, so clients can resolve
/// `--vip-subnet-id private-subnet`.
public struct SubnetBody: APIBody, Hashable {
    public var id: String
    public var name: String
    public var networkID: String
    public var cidr: String
    public var gatewayIP: String?
    public var ipVersion: Int
    public var allocationPools: [AllocationPool]
    public var projectID: String
    public var tenantID: String
    public var enableDHCP: Bool
    public var dnsNameservers: [String]
    public var hostRoutes: [String]
    public var description: String
    public var tags: [String]

    /// One allocation range.
    public struct AllocationPool: Codable, Sendable, Hashable {
        public var start: String
        public var end: String
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, cidr, description, tags
        case networkID = "network_id"
        case gatewayIP = "gateway_ip"
        case ipVersion = "ip_version"
        case allocationPools = "allocation_pools"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case enableDHCP = "enable_dhcp"
        case dnsNameservers = "dns_nameservers"
        case hostRoutes = "host_routes"
    }

    public static let attributeNames = CodingKeys.allCases.map(\.rawValue)

    /// The body of a configured subnet (owned by no project: `project_id` is empty).
    public init(_ subnet: Subnet) {
        id = subnet.id
        name = subnet.name
        networkID = subnet.networkID
        cidr = subnet.cidr.description
        gatewayIP = subnet.gateway?.description
        ipVersion = 4
        allocationPools = [
            AllocationPool(start: subnet.allocationStart.description, end: subnet.allocationEnd.description)
        ]
        projectID = ""
        tenantID = ""
        enableDHCP = false
        dnsNameservers = []
        hostRoutes = []
        description = ""
        tags = []
    }
}

/// A network (one per configured subnet's `network_id`) as Neutron returns it.
public struct NetworkBody: APIBody, Hashable {
    public var id: String
    public var name: String
    public var subnets: [String]
    public var status: String
    public var adminStateUp: Bool
    public var shared: Bool
    public var projectID: String
    public var tenantID: String
    public var description: String
    public var tags: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, subnets, status, shared, description, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
    }

    public static let attributeNames = CodingKeys.allCases.map(\.rawValue)

    /// The network `id` holding `subnets`.
    public init(id: String, subnets: [String]) {
        self.id = id
        name = id
        self.subnets = subnets
        status = "ACTIVE"
        adminStateUp = true
        shared = true
        projectID = ""
        tenantID = ""
        description = ""
        tags = []
    }
}

/// An amphora as Octavia's admin API returns it (`{"amphora": …}`).
public struct AmphoraBody: APIBody, Hashable {
    public var id: String
    public var loadbalancerID: String?
    public var computeID: String?
    public var lbNetworkIP: String?
    public var vrrpIP: String?
    public var haIP: String?
    public var vrrpPortID: String?
    public var haPortID: String?
    public var certExpiration: String?
    public var certBusy: Bool
    public var role: String?
    public var status: String
    public var vrrpInterface: String?
    public var vrrpID: Int?
    public var vrrpPriority: Int?
    public var cachedZone: String?
    public var imageID: String?
    public var computeFlavor: String?
    public var createdAt: String
    public var updatedAt: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, role, status
        case loadbalancerID = "loadbalancer_id"
        case computeID = "compute_id"
        case lbNetworkIP = "lb_network_ip"
        case vrrpIP = "vrrp_ip"
        case haIP = "ha_ip"
        case vrrpPortID = "vrrp_port_id"
        case haPortID = "ha_port_id"
        case certExpiration = "cert_expiration"
        case certBusy = "cert_busy"
        case vrrpInterface = "vrrp_interface"
        case vrrpID = "vrrp_id"
        case vrrpPriority = "vrrp_priority"
        case cachedZone = "cached_zone"
        case imageID = "image_id"
        case computeFlavor = "compute_flavor"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public static let attributeNames = CodingKeys.allCases.map(\.rawValue)

    /// The body of `amphora`.
    public init(_ amphora: Amphora) {
        id = amphora.id
        loadbalancerID = amphora.loadBalancerID
        computeID = amphora.computeID
        lbNetworkIP = amphora.lbNetworkIP
        vrrpIP = amphora.vrrpIP
        haIP = amphora.haIP
        vrrpPortID = amphora.vrrpPortID
        haPortID = amphora.haPortID
        certExpiration = APIDate.format(amphora.certExpiration)
        certBusy = amphora.certBusy
        role = amphora.role?.rawValue
        status = amphora.status.rawValue
        vrrpInterface = amphora.vrrpInterface
        vrrpID = amphora.vrrpID
        vrrpPriority = amphora.vrrpPriority
        cachedZone = amphora.cachedZone
        imageID = amphora.imageID
        computeFlavor = amphora.computeFlavor
        createdAt = APIDate.format(amphora.createdAt)
        updatedAt = APIDate.format(amphora.updatedAt)
    }
}

/// `GET /`: one entry per API version v2.0 … v2.30, the last `CURRENT`.
public struct VersionsBody: Codable, Sendable, Hashable {
    public var versions: [Version]

    /// One version entry.
    public struct Version: Codable, Sendable, Hashable {
        public var id: String
        public var status: String
        public var updated: String
        public var links: [PageLink]
    }

    /// The highest minor version served.
    public static let maxMinor = 30

    /// The document with self links to `baseURL` + `/v2`.
    public init(baseURL: String) {
        let link = [PageLink(href: baseURL + "/v2", rel: "self")]
        versions = (0...Self.maxMinor).map { minor in
            Version(
                id: "v2.\(minor)", status: minor == Self.maxMinor ? "CURRENT" : "SUPPORTED",
                updated: minor == Self.maxMinor ? "2025-02-26T00:00:00Z" : "2016-12-11T00:00:00Z", links: link)
        }
    }
}
