public import Foundation

/// Session persistence settings of a pool.
public struct SessionPersistence: Sendable, Codable, Hashable {
    public var type: SessionPersistenceType
    public var cookieName: String?
    public var persistenceTimeout: Int?
    public var persistenceGranularity: String?

    /// Creates session persistence settings.
    public init(
        type: SessionPersistenceType,
        cookieName: String? = nil,
        persistenceTimeout: Int? = nil,
        persistenceGranularity: String? = nil
    ) {
        self.type = type
        self.cookieName = cookieName
        self.persistenceTimeout = persistenceTimeout
        self.persistenceGranularity = persistenceGranularity
    }
}

/// A pool of members behind a listener or L7 policy (Octavia §1.3).
public struct Pool: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var projectID: String
    public var loadBalancerID: String
    public var name: String
    public var description: String
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var `protocol`: PoolProtocol
    public var lbAlgorithm: LBAlgorithm
    public var sessionPersistence: SessionPersistence?
    public var tlsEnabled: Bool
    public var tlsContainerRef: String?
    public var caTLSContainerRef: String?
    public var crlContainerRef: String?
    public var tlsCiphers: String?
    public var tlsVersions: [String]
    public var alpnProtocols: [String]
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date?

    /// Creates a pool with Octavia's defaults for a new object.
    public init(
        id: String,
        projectID: String,
        loadBalancerID: String,
        name: String = "",
        description: String = "",
        adminStateUp: Bool = true,
        provisioningStatus: ProvisioningStatus = .pendingCreate,
        operatingStatus: OperatingStatus = .offline,
        protocol: PoolProtocol,
        lbAlgorithm: LBAlgorithm,
        sessionPersistence: SessionPersistence? = nil,
        tlsEnabled: Bool = false,
        tlsContainerRef: String? = nil,
        caTLSContainerRef: String? = nil,
        crlContainerRef: String? = nil,
        tlsCiphers: String? = nil,
        tlsVersions: [String] = [],
        alpnProtocols: [String] = [],
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
        self.lbAlgorithm = lbAlgorithm
        self.sessionPersistence = sessionPersistence
        self.tlsEnabled = tlsEnabled
        self.tlsContainerRef = tlsContainerRef
        self.caTLSContainerRef = caTLSContainerRef
        self.crlContainerRef = crlContainerRef
        self.tlsCiphers = tlsCiphers
        self.tlsVersions = tlsVersions
        self.alpnProtocols = alpnProtocols
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
