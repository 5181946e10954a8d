public import FulcrumModel

/// A floating IP as `GET /v2/fulcrum/floatingips/{id}` returns it (`{"floatingip": …}`); a Fulcrum extension,
/// so it lives outside Octavia's `lbaas` namespace.
public struct FloatingIPBody: APIBody, Hashable {
    public var id: String
    public var projectID: String
    public var tenantID: String
    public var loadbalancerID: String
    public var floatingIPAddress: String
    public var floatingPort: Int
    /// The VIP (listener) port connections are forwarded to.
    public var protocolPort: Int
    public var createdAt: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case loadbalancerID = "loadbalancer_id"
        case floatingIPAddress = "floating_ip_address"
        case floatingPort = "floating_port"
        case protocolPort = "protocol_port"
        case createdAt = "created_at"
    }

    public static let attributeNames = CodingKeys.allCases.map(\.rawValue)

    /// The body of `floatingIP`.
    public init(_ floatingIP: FloatingIP) {
        id = floatingIP.id
        projectID = floatingIP.projectID
        tenantID = floatingIP.projectID
        loadbalancerID = floatingIP.loadBalancerID
        floatingIPAddress = floatingIP.floatingAddress.description
        floatingPort = floatingIP.floatingPort
        protocolPort = floatingIP.listenerPort
        createdAt = APIDate.format(floatingIP.createdAt)
    }
}

/// The attributes of a floating-IP POST (`{"floatingip": …}`).
public struct FloatingIPWrite: Codable, Sendable, Hashable {
    public var loadbalancerID: String?
    public var floatingIPAddress: String?
    public var floatingPort: Int?
    public var protocolPort: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case loadbalancerID = "loadbalancer_id"
        case floatingIPAddress = "floating_ip_address"
        case floatingPort = "floating_port"
        case protocolPort = "protocol_port"
    }

    /// Attributes a POST may carry.
    public static let createAttributes = Set(CodingKeys.allCases.map(\.rawValue))
    /// `floating_ip_address` when absent.
    public static let defaultAddress = "127.0.0.1"
    /// `protocol_port` when absent.
    public static let defaultProtocolPort = 80

    /// Creates a write body.
    public init(loadbalancerID: String?, floatingIPAddress: String?, floatingPort: Int?, protocolPort: Int?) {
        self.loadbalancerID = loadbalancerID
        self.floatingIPAddress = floatingIPAddress
        self.floatingPort = floatingPort
        self.protocolPort = protocolPort
    }
}

/// One floating IP as a load balancer's `fulcrum:floating_ips` entry.
public struct FloatingIPRef: Codable, Sendable, Hashable {
    public var id: String
    public var floatingIPAddress: String
    public var floatingPort: Int
    public var protocolPort: Int

    enum CodingKeys: String, CodingKey {
        case id
        case floatingIPAddress = "floating_ip_address"
        case floatingPort = "floating_port"
        case protocolPort = "protocol_port"
    }

    /// The entry of `floatingIP`.
    public init(_ floatingIP: FloatingIP) {
        id = floatingIP.id
        floatingIPAddress = floatingIP.floatingAddress.description
        floatingPort = floatingIP.floatingPort
        protocolPort = floatingIP.listenerPort
    }
}
