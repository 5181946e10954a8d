/// A pool of members with its algorithm, persistence and health monitor.
public struct PoolConfig: Codable, Sendable, Hashable {
    /// Octavia pool protocols.
    public enum PoolProtocol: String, Codable, Sendable, Hashable {
        case tcp = "TCP"
        case http = "HTTP"
        case https = "HTTPS"
        case proxy = "PROXY"
        case proxyV2 = "PROXYV2"
        case udp = "UDP"
    }

    /// Octavia `lb_algorithm` values.
    public enum Algorithm: String, Codable, Sendable, Hashable, CaseIterable {
        case roundRobin = "ROUND_ROBIN"
        case leastConnections = "LEAST_CONNECTIONS"
        case sourceIP = "SOURCE_IP"
        case sourceIPPort = "SOURCE_IP_PORT"
    }

    /// Pool id.
    public var id: String
    /// Protocol spoken to members.
    public var `protocol`: PoolProtocol
    /// Balancing algorithm.
    public var algorithm: Algorithm
    /// Session persistence, if any.
    public var sessionPersistence: SessionPersistence?
    /// Members in controller order.
    public var members: [MemberConfig]
    /// The health monitor, if any (members are "no check" without one).
    public var healthMonitor: HealthMonitorConfig?

    /// Creates a pool.
    public init(
        id: String, protocol: PoolProtocol, algorithm: Algorithm = .roundRobin,
        sessionPersistence: SessionPersistence? = nil, members: [MemberConfig] = [],
        healthMonitor: HealthMonitorConfig? = nil
    ) {
        self.id = id
        self.protocol = `protocol`
        self.algorithm = algorithm
        self.sessionPersistence = sessionPersistence
        self.members = members
        self.healthMonitor = healthMonitor
    }
}

/// Octavia session persistence.
public struct SessionPersistence: Codable, Sendable, Hashable {
    /// Persistence kinds.
    public enum Kind: String, Codable, Sendable, Hashable {
        case sourceIP = "SOURCE_IP"
        case httpCookie = "HTTP_COOKIE"
        case appCookie = "APP_COOKIE"
    }

    /// Persistence kind.
    public var type: Kind
    /// Cookie name for APP_COOKIE.
    public var cookieName: String?

    /// Creates a persistence setting.
    public init(type: Kind, cookieName: String? = nil) {
        self.type = type
        self.cookieName = cookieName
    }
}

/// A member (backend server) of a pool.
public struct MemberConfig: Codable, Sendable, Hashable {
    /// Member id.
    public var id: String
    /// Numeric IPv4 or IPv6 address.
    public var address: String
    /// Port.
    public var port: Int
    /// 0...256; 0 drains the member (no new connections).
    public var weight: Int
    /// Used only when no non-backup member is up.
    public var backup: Bool
    /// `admin_state_up`; false puts the member in MAINT.
    public var adminStateUp: Bool
    /// Address health checks go to, when not `address`.
    public var monitorAddress: String?
    /// Port health checks go to, when not `port`.
    public var monitorPort: Int?

    /// Creates a member with Octavia's defaults.
    public init(
        id: String, address: String, port: Int, weight: Int = 1, backup: Bool = false, adminStateUp: Bool = true,
        monitorAddress: String? = nil, monitorPort: Int? = nil
    ) {
        self.id = id
        self.address = address
        self.port = port
        self.weight = weight
        self.backup = backup
        self.adminStateUp = adminStateUp
        self.monitorAddress = monitorAddress
        self.monitorPort = monitorPort
    }
}

/// A pool's health monitor (Octavia `healthmonitor`).
public struct HealthMonitorConfig: Codable, Sendable, Hashable {
    /// Monitor types.
    public enum Kind: String, Codable, Sendable, Hashable {
        case http = "HTTP"
        case https = "HTTPS"
        case ping = "PING"
        case tcp = "TCP"
        case tlsHello = "TLS-HELLO"
        case udpConnect = "UDP-CONNECT"
        case sctp = "SCTP"
    }

    /// Monitor type.
    public var type: Kind
    /// Seconds between checks.
    public var delay: Int
    /// Seconds a check may take.
    public var timeout: Int
    /// Consecutive successes to go UP (haproxy `rise`).
    public var maxRetries: Int
    /// Consecutive failures to go DOWN (haproxy `fall`).
    public var maxRetriesDown: Int
    /// HTTP method of HTTP/HTTPS checks.
    public var httpMethod: String
    /// Path of HTTP/HTTPS checks.
    public var urlPath: String
    /// `200`, `200,202` or `200-204`.
    public var expectedCodes: String
    /// Host header of HTTP/1.1 checks.
    public var domainName: String?
    /// A disabled monitor leaves members "no check".
    public var adminStateUp: Bool

    /// Creates a monitor with Octavia's defaults.
    public init(
        type: Kind, delay: Int, timeout: Int, maxRetries: Int, maxRetriesDown: Int = 3, httpMethod: String = "GET",
        urlPath: String = "/", expectedCodes: String = "200", domainName: String? = nil, adminStateUp: Bool = true
    ) {
        self.type = type
        self.delay = delay
        self.timeout = timeout
        self.maxRetries = maxRetries
        self.maxRetriesDown = maxRetriesDown
        self.httpMethod = httpMethod
        self.urlPath = urlPath
        self.expectedCodes = expectedCodes
        self.domainName = domainName
        self.adminStateUp = adminStateUp
    }

    /// Whether `code` is one of `expectedCodes` (a list like `200, 202` or a range like `200-204`).
    public func expects(_ code: Int) -> Bool {
        let spec = expectedCodes.filter { !$0.isWhitespace }
        if let dash = spec.firstIndex(of: "-"), let low = Int(spec[..<dash]),
            let high = Int(spec[spec.index(after: dash)...])
        {
            return (low...high).contains(code)
        }
        return spec.split(separator: ",").contains { Int($0) == code }
    }
}

extension PoolConfig {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case `protocol` = "protocol"
        case algorithm = "algorithm"
        case sessionPersistence = "session_persistence"
        case members = "members"
        case healthMonitor = "health_monitor"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            protocol: try c.decode(PoolProtocol.self, forKey: .`protocol`),
            algorithm: try c.decodeIfPresent(Algorithm.self, forKey: .algorithm) ?? Algorithm.roundRobin,
            sessionPersistence: try c.decodeIfPresent(SessionPersistence.self, forKey: .sessionPersistence),
            members: try c.decodeIfPresent([MemberConfig].self, forKey: .members) ?? [],
            healthMonitor: try c.decodeIfPresent(HealthMonitorConfig.self, forKey: .healthMonitor)
        )
    }
}

extension SessionPersistence {
    enum CodingKeys: String, CodingKey {
        case type = "type"
        case cookieName = "cookie_name"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            type: try c.decode(Kind.self, forKey: .type),
            cookieName: try c.decodeIfPresent(String.self, forKey: .cookieName)
        )
    }
}

extension MemberConfig {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case address = "address"
        case port = "port"
        case weight = "weight"
        case backup = "backup"
        case adminStateUp = "admin_state_up"
        case monitorAddress = "monitor_address"
        case monitorPort = "monitor_port"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            address: try c.decode(String.self, forKey: .address),
            port: try c.decode(Int.self, forKey: .port),
            weight: try c.decodeIfPresent(Int.self, forKey: .weight) ?? 1,
            backup: try c.decodeIfPresent(Bool.self, forKey: .backup) ?? false,
            adminStateUp: try c.decodeIfPresent(Bool.self, forKey: .adminStateUp) ?? true,
            monitorAddress: try c.decodeIfPresent(String.self, forKey: .monitorAddress),
            monitorPort: try c.decodeIfPresent(Int.self, forKey: .monitorPort)
        )
    }
}

extension HealthMonitorConfig {
    enum CodingKeys: String, CodingKey {
        case type = "type"
        case delay = "delay"
        case timeout = "timeout"
        case maxRetries = "max_retries"
        case maxRetriesDown = "max_retries_down"
        case httpMethod = "http_method"
        case urlPath = "url_path"
        case expectedCodes = "expected_codes"
        case domainName = "domain_name"
        case adminStateUp = "admin_state_up"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            type: try c.decode(Kind.self, forKey: .type),
            delay: try c.decode(Int.self, forKey: .delay),
            timeout: try c.decode(Int.self, forKey: .timeout),
            maxRetries: try c.decode(Int.self, forKey: .maxRetries),
            maxRetriesDown: try c.decodeIfPresent(Int.self, forKey: .maxRetriesDown) ?? 3,
            httpMethod: try c.decodeIfPresent(String.self, forKey: .httpMethod) ?? "GET",
            urlPath: try c.decodeIfPresent(String.self, forKey: .urlPath) ?? "/",
            expectedCodes: try c.decodeIfPresent(String.self, forKey: .expectedCodes) ?? "200",
            domainName: try c.decodeIfPresent(String.self, forKey: .domainName),
            adminStateUp: try c.decodeIfPresent(Bool.self, forKey: .adminStateUp) ?? true
        )
    }
}
