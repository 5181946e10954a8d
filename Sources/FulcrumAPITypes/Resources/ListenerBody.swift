public import FulcrumModel

/// A listener as Octavia returns it (`{"listener": …}`).
public struct ListenerBody: APIBody, Hashable {
    public var id: String
    public var name: String
    public var description: String
    public var adminStateUp: Bool
    public var projectID: String
    public var tenantID: String
    public var provisioningStatus: String
    public var operatingStatus: String
    public var `protocol`: String
    public var protocolPort: Int
    public var connectionLimit: Int
    public var defaultPoolID: String?
    public var loadbalancers: [IDRef]
    public var l7policies: [IDRef]
    public var timeoutClientData: Int
    public var timeoutMemberConnect: Int
    public var timeoutMemberData: Int
    public var timeoutTCPInspect: Int
    public var insertHeaders: [String: String]
    public var allowedCIDRs: [String]?
    public var defaultTLSContainerRef: String?
    public var sniContainerRefs: [String]
    public var clientCATLSContainerRef: String?
    public var clientCRLContainerRef: String?
    public var clientAuthentication: String
    public var tlsCiphers: String?
    public var tlsVersions: [String]?
    public var alpnProtocols: [String]?
    public var hstsMaxAge: Int?
    public var hstsIncludeSubdomains: Bool
    public var hstsPreload: Bool
    public var tags: [String]
    public var createdAt: String
    public var updatedAt: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, description, `protocol`, loadbalancers, l7policies, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case provisioningStatus = "provisioning_status"
        case operatingStatus = "operating_status"
        case protocolPort = "protocol_port"
        case connectionLimit = "connection_limit"
        case defaultPoolID = "default_pool_id"
        case timeoutClientData = "timeout_client_data"
        case timeoutMemberConnect = "timeout_member_connect"
        case timeoutMemberData = "timeout_member_data"
        case timeoutTCPInspect = "timeout_tcp_inspect"
        case insertHeaders = "insert_headers"
        case allowedCIDRs = "allowed_cidrs"
        case defaultTLSContainerRef = "default_tls_container_ref"
        case sniContainerRefs = "sni_container_refs"
        case clientCATLSContainerRef = "client_ca_tls_container_ref"
        case clientCRLContainerRef = "client_crl_container_ref"
        case clientAuthentication = "client_authentication"
        case tlsCiphers = "tls_ciphers"
        case tlsVersions = "tls_versions"
        case alpnProtocols = "alpn_protocols"
        case hstsMaxAge = "hsts_max_age"
        case hstsIncludeSubdomains = "hsts_include_subdomains"
        case hstsPreload = "hsts_preload"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public static let attributeNames = CodingKeys.allCases.map(\.rawValue)

    /// The body of `listener` with its L7 policies.
    public init(_ listener: Listener, l7policies: [String]) {
        id = listener.id
        name = listener.name
        description = listener.description
        adminStateUp = listener.adminStateUp
        projectID = listener.projectID
        tenantID = listener.projectID
        provisioningStatus = listener.provisioningStatus.rawValue
        operatingStatus = listener.operatingStatus.rawValue
        self.protocol = listener.protocol.rawValue
        protocolPort = listener.protocolPort
        connectionLimit = listener.connectionLimit
        defaultPoolID = listener.defaultPoolID
        loadbalancers = [IDRef(listener.loadBalancerID)]
        self.l7policies = l7policies.map(IDRef.init)
        timeoutClientData = listener.timeoutClientData
        timeoutMemberConnect = listener.timeoutMemberConnect
        timeoutMemberData = listener.timeoutMemberData
        timeoutTCPInspect = listener.timeoutTCPInspect
        insertHeaders = listener.insertHeaders
        allowedCIDRs = listener.allowedCIDRs.isEmpty ? nil : listener.allowedCIDRs
        defaultTLSContainerRef = listener.defaultTLSContainerRef
        sniContainerRefs = listener.sniContainerRefs
        clientCATLSContainerRef = listener.clientCATLSContainerRef
        clientCRLContainerRef = listener.clientCRLContainerRef
        clientAuthentication = listener.clientAuthentication.rawValue
        tlsCiphers = listener.tlsCiphers
        tlsVersions = listener.tlsVersions.isEmpty ? nil : listener.tlsVersions
        alpnProtocols = listener.alpnProtocols.isEmpty ? nil : listener.alpnProtocols
        hstsMaxAge = listener.hstsMaxAge
        hstsIncludeSubdomains = listener.hstsIncludeSubdomains
        hstsPreload = listener.hstsPreload
        tags = listener.tags
        createdAt = APIDate.format(listener.createdAt)
        updatedAt = APIDate.format(listener.updatedAt)
    }
}

/// The attributes of a listener POST or PUT (`{"listener": …}`).
public struct ListenerWrite: Codable, Sendable, Hashable {
    public var name: String?
    public var description: String?
    public var adminStateUp: Bool?
    public var projectID: String?
    public var tenantID: String?
    public var loadbalancerID: String?
    public var `protocol`: ListenerProtocol?
    public var protocolPort: Int?
    public var connectionLimit: Int?
    public var defaultPoolID: String?
    public var timeoutClientData: Int?
    public var timeoutMemberConnect: Int?
    public var timeoutMemberData: Int?
    public var timeoutTCPInspect: Int?
    public var insertHeaders: [String: String]?
    public var allowedCIDRs: [String]?
    public var defaultTLSContainerRef: String?
    public var sniContainerRefs: [String]?
    public var clientCATLSContainerRef: String?
    public var clientCRLContainerRef: String?
    public var clientAuthentication: ClientAuthentication?
    public var tlsCiphers: String?
    public var tlsVersions: [String]?
    public var alpnProtocols: [String]?
    public var hstsMaxAge: Int?
    public var hstsIncludeSubdomains: Bool?
    public var hstsPreload: Bool?
    public var tags: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, `protocol`, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case loadbalancerID = "loadbalancer_id"
        case protocolPort = "protocol_port"
        case connectionLimit = "connection_limit"
        case defaultPoolID = "default_pool_id"
        case timeoutClientData = "timeout_client_data"
        case timeoutMemberConnect = "timeout_member_connect"
        case timeoutMemberData = "timeout_member_data"
        case timeoutTCPInspect = "timeout_tcp_inspect"
        case insertHeaders = "insert_headers"
        case allowedCIDRs = "allowed_cidrs"
        case defaultTLSContainerRef = "default_tls_container_ref"
        case sniContainerRefs = "sni_container_refs"
        case clientCATLSContainerRef = "client_ca_tls_container_ref"
        case clientCRLContainerRef = "client_crl_container_ref"
        case clientAuthentication = "client_authentication"
        case tlsCiphers = "tls_ciphers"
        case tlsVersions = "tls_versions"
        case alpnProtocols = "alpn_protocols"
        case hstsMaxAge = "hsts_max_age"
        case hstsIncludeSubdomains = "hsts_include_subdomains"
        case hstsPreload = "hsts_preload"
    }

    /// Attributes a POST may carry.
    public static let createAttributes = Set(CodingKeys.allCases.map(\.rawValue))
    /// Attributes a PUT may carry.
    public static let updateAttributes = createAttributes.subtracting([
        "project_id", "tenant_id", "loadbalancer_id", "protocol", "protocol_port",
    ])

    /// Creates an empty write.
    public init() {}

    /// The new listener with Octavia's defaults; `protocol`, `protocol_port`, `loadbalancer_id` are checked
    /// by the caller.
    public func makeListener(
        id: String, projectID: String, loadBalancerID: String, protocol proto: ListenerProtocol, port: Int
    ) -> Listener {
        var listener = Listener(
            id: id, projectID: projectID, loadBalancerID: loadBalancerID, protocol: proto, protocolPort: port)
        listener = apply(to: listener, nulls: [])
        return listener
    }

    /// `listener` with the given attributes applied; `nulls` reset to defaults.
    public func apply(to listener: Listener, nulls: Set<String>) -> Listener {
        typealias Defaults = Listener.Defaults
        var l = listener
        l.name = name ?? (nulls.contains("name") ? "" : l.name)
        l.description = description ?? (nulls.contains("description") ? "" : l.description)
        l.adminStateUp = adminStateUp ?? (nulls.contains("admin_state_up") ? false : l.adminStateUp)
        l.connectionLimit = connectionLimit ?? (nulls.contains("connection_limit") ? -1 : l.connectionLimit)
        l.defaultPoolID = defaultPoolID ?? (nulls.contains("default_pool_id") ? nil : l.defaultPoolID)
        l.timeoutClientData =
            timeoutClientData
            ?? (nulls.contains("timeout_client_data") ? Defaults.timeoutClientData : l.timeoutClientData)
        l.timeoutMemberConnect =
            timeoutMemberConnect
            ?? (nulls.contains("timeout_member_connect") ? Defaults.timeoutMemberConnect : l.timeoutMemberConnect)
        l.timeoutMemberData =
            timeoutMemberData
            ?? (nulls.contains("timeout_member_data") ? Defaults.timeoutMemberData : l.timeoutMemberData)
        l.timeoutTCPInspect =
            timeoutTCPInspect
            ?? (nulls.contains("timeout_tcp_inspect") ? Defaults.timeoutTCPInspect : l.timeoutTCPInspect)
        l.insertHeaders = insertHeaders ?? (nulls.contains("insert_headers") ? [:] : l.insertHeaders)
        l.allowedCIDRs = allowedCIDRs ?? (nulls.contains("allowed_cidrs") ? [] : l.allowedCIDRs)
        l.defaultTLSContainerRef =
            defaultTLSContainerRef ?? (nulls.contains("default_tls_container_ref") ? nil : l.defaultTLSContainerRef)
        l.sniContainerRefs = sniContainerRefs ?? (nulls.contains("sni_container_refs") ? [] : l.sniContainerRefs)
        l.clientCATLSContainerRef =
            clientCATLSContainerRef ?? (nulls.contains("client_ca_tls_container_ref") ? nil : l.clientCATLSContainerRef)
        l.clientCRLContainerRef =
            clientCRLContainerRef ?? (nulls.contains("client_crl_container_ref") ? nil : l.clientCRLContainerRef)
        l.clientAuthentication =
            clientAuthentication ?? (nulls.contains("client_authentication") ? .none : l.clientAuthentication)
        l.tlsCiphers = tlsCiphers ?? (nulls.contains("tls_ciphers") ? nil : l.tlsCiphers)
        l.tlsVersions = tlsVersions ?? (nulls.contains("tls_versions") ? [] : l.tlsVersions)
        l.alpnProtocols = alpnProtocols ?? (nulls.contains("alpn_protocols") ? [] : l.alpnProtocols)
        l.hstsMaxAge = hstsMaxAge ?? (nulls.contains("hsts_max_age") ? nil : l.hstsMaxAge)
        l.hstsIncludeSubdomains =
            hstsIncludeSubdomains ?? (nulls.contains("hsts_include_subdomains") ? false : l.hstsIncludeSubdomains)
        l.hstsPreload = hstsPreload ?? (nulls.contains("hsts_preload") ? false : l.hstsPreload)
        l.tags = tags ?? (nulls.contains("tags") ? [] : l.tags)
        return l
    }
}
