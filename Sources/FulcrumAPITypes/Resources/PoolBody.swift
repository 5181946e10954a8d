public import FulcrumModel

/// A pool's session persistence as the API spells it.
public struct SessionPersistenceBody: Codable, Sendable, Hashable {
    public var type: SessionPersistenceType
    public var cookieName: String?
    public var persistenceTimeout: Int?
    public var persistenceGranularity: String?

    enum CodingKeys: String, CodingKey {
        case type
        case cookieName = "cookie_name"
        case persistenceTimeout = "persistence_timeout"
        case persistenceGranularity = "persistence_granularity"
    }

    /// The body of a model value.
    public init(_ value: SessionPersistence) {
        type = value.type
        cookieName = value.cookieName
        persistenceTimeout = value.persistenceTimeout
        persistenceGranularity = value.persistenceGranularity
    }

    /// The model value.
    public var model: SessionPersistence {
        SessionPersistence(
            type: type, cookieName: cookieName, persistenceTimeout: persistenceTimeout,
            persistenceGranularity: persistenceGranularity)
    }
}

/// A pool as Octavia returns it (`{"pool": …}`).
public struct PoolBody: APIBody, Hashable {
    public var id: String
    public var name: String
    public var description: String
    public var adminStateUp: Bool
    public var projectID: String
    public var tenantID: String
    public var provisioningStatus: String
    public var operatingStatus: String
    public var `protocol`: String
    public var lbAlgorithm: String
    public var sessionPersistence: SessionPersistenceBody?
    public var loadbalancers: [IDRef]
    public var listeners: [IDRef]
    public var members: [IDRef]
    public var healthmonitorID: String?
    public var tlsEnabled: Bool
    public var tlsContainerRef: String?
    public var caTLSContainerRef: String?
    public var crlContainerRef: String?
    public var tlsCiphers: String?
    public var tlsVersions: [String]?
    public var alpnProtocols: [String]?
    public var tags: [String]
    public var createdAt: String
    public var updatedAt: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, description, `protocol`, loadbalancers, listeners, members, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case provisioningStatus = "provisioning_status"
        case operatingStatus = "operating_status"
        case lbAlgorithm = "lb_algorithm"
        case sessionPersistence = "session_persistence"
        case healthmonitorID = "healthmonitor_id"
        case tlsEnabled = "tls_enabled"
        case tlsContainerRef = "tls_container_ref"
        case caTLSContainerRef = "ca_tls_container_ref"
        case crlContainerRef = "crl_container_ref"
        case tlsCiphers = "tls_ciphers"
        case tlsVersions = "tls_versions"
        case alpnProtocols = "alpn_protocols"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public static let attributeNames = CodingKeys.allCases.map(\.rawValue)

    /// The body of `pool` with its relations.
    public init(_ pool: Pool, listeners: [String], members: [String], healthMonitorID: String?) {
        id = pool.id
        name = pool.name
        description = pool.description
        adminStateUp = pool.adminStateUp
        projectID = pool.projectID
        tenantID = pool.projectID
        provisioningStatus = pool.provisioningStatus.rawValue
        operatingStatus = pool.operatingStatus.rawValue
        self.protocol = pool.protocol.rawValue
        lbAlgorithm = pool.lbAlgorithm.rawValue
        sessionPersistence = pool.sessionPersistence.map(SessionPersistenceBody.init)
        loadbalancers = [IDRef(pool.loadBalancerID)]
        self.listeners = listeners.map(IDRef.init)
        self.members = members.map(IDRef.init)
        healthmonitorID = healthMonitorID
        tlsEnabled = pool.tlsEnabled
        tlsContainerRef = pool.tlsContainerRef
        caTLSContainerRef = pool.caTLSContainerRef
        crlContainerRef = pool.crlContainerRef
        tlsCiphers = pool.tlsCiphers
        tlsVersions = pool.tlsVersions.isEmpty ? nil : pool.tlsVersions
        alpnProtocols = pool.alpnProtocols.isEmpty ? nil : pool.alpnProtocols
        tags = pool.tags
        createdAt = APIDate.format(pool.createdAt)
        updatedAt = APIDate.format(pool.updatedAt)
    }
}

/// The attributes of a pool POST or PUT (`{"pool": …}`).
public struct PoolWrite: Codable, Sendable, Hashable {
    public var name: String?
    public var description: String?
    public var adminStateUp: Bool?
    public var projectID: String?
    public var tenantID: String?
    public var loadbalancerID: String?
    public var listenerID: String?
    public var `protocol`: PoolProtocol?
    public var lbAlgorithm: LBAlgorithm?
    public var sessionPersistence: SessionPersistenceBody?
    public var tlsEnabled: Bool?
    public var tlsContainerRef: String?
    public var caTLSContainerRef: String?
    public var crlContainerRef: String?
    public var tlsCiphers: String?
    public var tlsVersions: [String]?
    public var alpnProtocols: [String]?
    public var tags: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, `protocol`, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case loadbalancerID = "loadbalancer_id"
        case listenerID = "listener_id"
        case lbAlgorithm = "lb_algorithm"
        case sessionPersistence = "session_persistence"
        case tlsEnabled = "tls_enabled"
        case tlsContainerRef = "tls_container_ref"
        case caTLSContainerRef = "ca_tls_container_ref"
        case crlContainerRef = "crl_container_ref"
        case tlsCiphers = "tls_ciphers"
        case tlsVersions = "tls_versions"
        case alpnProtocols = "alpn_protocols"
    }

    /// Attributes a POST may carry.
    public static let createAttributes = Set(CodingKeys.allCases.map(\.rawValue))
    /// Attributes a PUT may carry.
    public static let updateAttributes = createAttributes.subtracting([
        "project_id", "tenant_id", "loadbalancer_id", "listener_id", "protocol",
    ])

    /// Creates an empty write.
    public init() {}

    /// `pool` with the given attributes applied; `nulls` reset to defaults.
    public func apply(to pool: Pool, nulls: Set<String>) -> Pool {
        var p = pool
        p.name = name ?? (nulls.contains("name") ? "" : p.name)
        p.description = description ?? (nulls.contains("description") ? "" : p.description)
        p.adminStateUp = adminStateUp ?? (nulls.contains("admin_state_up") ? false : p.adminStateUp)
        if let lbAlgorithm { p.lbAlgorithm = lbAlgorithm }
        if let sessionPersistence {
            p.sessionPersistence = sessionPersistence.model
        } else if nulls.contains("session_persistence") {
            p.sessionPersistence = nil
        }
        p.tlsEnabled = tlsEnabled ?? (nulls.contains("tls_enabled") ? false : p.tlsEnabled)
        p.tlsContainerRef = tlsContainerRef ?? (nulls.contains("tls_container_ref") ? nil : p.tlsContainerRef)
        p.caTLSContainerRef = caTLSContainerRef ?? (nulls.contains("ca_tls_container_ref") ? nil : p.caTLSContainerRef)
        p.crlContainerRef = crlContainerRef ?? (nulls.contains("crl_container_ref") ? nil : p.crlContainerRef)
        p.tlsCiphers = tlsCiphers ?? (nulls.contains("tls_ciphers") ? nil : p.tlsCiphers)
        p.tlsVersions = tlsVersions ?? (nulls.contains("tls_versions") ? [] : p.tlsVersions)
        p.alpnProtocols = alpnProtocols ?? (nulls.contains("alpn_protocols") ? [] : p.alpnProtocols)
        p.tags = tags ?? (nulls.contains("tags") ? [] : p.tags)
        return p
    }
}
