public import Foundation

/// A listener: protocol + port on a load balancer's VIP (Octavia §1.2).
public struct Listener: Sendable, Codable, Hashable, Identifiable {
    /// Octavia's listener timeout defaults, in milliseconds.
    public enum Defaults {
        public static let timeoutClientData = 50_000
        public static let timeoutMemberConnect = 5_000
        public static let timeoutMemberData = 50_000
        public static let timeoutTCPInspect = 0
        /// What `connection_limit` -1 or 0 means on an amphora.
        public static let amphoraConnectionLimit = 50_000
        public static let tlsVersions = ["TLSv1.2", "TLSv1.3"]
        public static let alpnProtocols = ["h2", "http/1.1", "http/1.0"]
    }

    public var id: String
    public var projectID: String
    public var loadBalancerID: String
    public var name: String
    public var description: String
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var `protocol`: ListenerProtocol
    public var protocolPort: Int
    public var connectionLimit: Int
    public var defaultPoolID: String?
    public var timeoutClientData: Int
    public var timeoutMemberConnect: Int
    public var timeoutMemberData: Int
    public var timeoutTCPInspect: Int
    public var insertHeaders: [String: String]
    public var allowedCIDRs: [String]
    public var defaultTLSContainerRef: String?
    public var sniContainerRefs: [String]
    public var clientCATLSContainerRef: String?
    public var clientCRLContainerRef: String?
    public var clientAuthentication: ClientAuthentication
    public var tlsCiphers: String?
    public var tlsVersions: [String]
    public var alpnProtocols: [String]
    public var hstsMaxAge: Int?
    public var hstsIncludeSubdomains: Bool
    public var hstsPreload: Bool
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date?

    /// Creates a listener with Octavia's defaults for a new object.
    public init(
        id: String,
        projectID: String,
        loadBalancerID: String,
        name: String = "",
        description: String = "",
        adminStateUp: Bool = true,
        provisioningStatus: ProvisioningStatus = .pendingCreate,
        operatingStatus: OperatingStatus = .offline,
        protocol: ListenerProtocol,
        protocolPort: Int,
        connectionLimit: Int = -1,
        defaultPoolID: String? = nil,
        timeoutClientData: Int = Defaults.timeoutClientData,
        timeoutMemberConnect: Int = Defaults.timeoutMemberConnect,
        timeoutMemberData: Int = Defaults.timeoutMemberData,
        timeoutTCPInspect: Int = Defaults.timeoutTCPInspect,
        insertHeaders: [String: String] = [:],
        allowedCIDRs: [String] = [],
        defaultTLSContainerRef: String? = nil,
        sniContainerRefs: [String] = [],
        clientCATLSContainerRef: String? = nil,
        clientCRLContainerRef: String? = nil,
        clientAuthentication: ClientAuthentication = .none,
        tlsCiphers: String? = nil,
        tlsVersions: [String] = [],
        alpnProtocols: [String] = [],
        hstsMaxAge: Int? = nil,
        hstsIncludeSubdomains: Bool = false,
        hstsPreload: Bool = false,
        tags: [String] = [],
        createdAt: Date = Date(),
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.projectID = projectID
        self.loadBalancerID = loadBalancerID
        self.name = name
        self.description = description
        self.adminStateUp = adminStateUp
        self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus
        self.protocol = `protocol`
        self.protocolPort = protocolPort
        self.connectionLimit = connectionLimit
        self.defaultPoolID = defaultPoolID
        self.timeoutClientData = timeoutClientData
        self.timeoutMemberConnect = timeoutMemberConnect
        self.timeoutMemberData = timeoutMemberData
        self.timeoutTCPInspect = timeoutTCPInspect
        self.insertHeaders = insertHeaders
        self.allowedCIDRs = allowedCIDRs
        self.defaultTLSContainerRef = defaultTLSContainerRef
        self.sniContainerRefs = sniContainerRefs
        self.clientCATLSContainerRef = clientCATLSContainerRef
        self.clientCRLContainerRef = clientCRLContainerRef
        self.clientAuthentication = clientAuthentication
        self.tlsCiphers = tlsCiphers
        self.tlsVersions = tlsVersions
        self.alpnProtocols = alpnProtocols
        self.hstsMaxAge = hstsMaxAge
        self.hstsIncludeSubdomains = hstsIncludeSubdomains
        self.hstsPreload = hstsPreload
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
