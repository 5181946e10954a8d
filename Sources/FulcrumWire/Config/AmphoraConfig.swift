/// The whole desired state of one amphora, as the controller sends it with `PUT /v1/config`.
///
/// Versioned (`version`, the document schema) and ordered (`generation`, bumped by the controller on every
/// change); the agent applies a document only when its generation is newer than the one it runs.
/// Encoded with snake_case keys through ``WireJSON``.
public struct AmphoraConfig: Codable, Sendable, Hashable {
    /// The schema version this build writes and understands.
    public static let currentVersion = 1

    /// Schema version of the document.
    public var version: Int
    /// Monotonic configuration generation chosen by the controller.
    public var generation: UInt64
    /// The amphora this document is for (the CN of its agent certificate).
    public var amphoraId: String
    /// SINGLE topology (`standalone`) or one side of an ACTIVE_STANDBY pair.
    public var role: AmphoraRole
    /// VRRP-like priority: 100 for MASTER, 90 for BACKUP.
    public var priority: Int
    /// Addresses of the VRRP peers.
    public var peers: [String]
    /// The virtual IP the listeners are served on.
    public var vip: String
    /// Listeners, each bound to the VIP (or the agent's bind address) and `port`.
    public var listeners: [ListenerConfig]
    /// Pools referenced by listeners and L7 policies.
    public var pools: [PoolConfig]
    /// VIP ownership of an ACTIVE_STANDBY amphora (role MASTER or BACKUP); nil for SINGLE, where the image's
    /// `/init` configures the VIP itself. Absent in documents older than the field.
    public var vrrp: VRRPConfig?
    /// Where a STANDALONE amphora holds the VIP: the agent makes sure it is there (a spare taken by a load
    /// balancer boots without it). Nil: the image's `/init` configured it from the kernel command line.
    public var vipInterface: VIPInterface?

    /// Creates a document of the current schema version.
    public init(
        generation: UInt64, amphoraId: String, role: AmphoraRole = .standalone, priority: Int = 100,
        peers: [String] = [], vip: String, listeners: [ListenerConfig] = [], pools: [PoolConfig] = [],
        vrrp: VRRPConfig? = nil, vipInterface: VIPInterface? = nil
    ) {
        self.vipInterface = vipInterface
        self.version = Self.currentVersion
        self.generation = generation
        self.amphoraId = amphoraId
        self.role = role
        self.priority = priority
        self.peers = peers
        self.vip = vip
        self.listeners = listeners
        self.pools = pools
        self.vrrp = vrrp
    }

    /// The pool with this id, if any.
    public func pool(id: String) -> PoolConfig? { pools.first { $0.id == id } }
}

/// Role of an amphora in its load balancer's topology.
public enum AmphoraRole: String, Codable, Sendable, Hashable {
    case standalone = "STANDALONE"
    case master = "MASTER"
    case backup = "BACKUP"
}

/// Octavia's listener protocols that an amphora serves.
public enum ListenerProtocol: String, Codable, Sendable, Hashable, CaseIterable {
    case tcp = "TCP"
    case http = "HTTP"
    case https = "HTTPS"
    case terminatedHTTPS = "TERMINATED_HTTPS"
    case udp = "UDP"
    /// Serves the amphora's own metrics as Prometheus text at `GET /metrics` (plain HTTP, no pool), as
    /// Octavia's PROMETHEUS listener does.
    case prometheus = "PROMETHEUS"
}

/// One listener: a port on the VIP with its limits, timeouts and routing.
public struct ListenerConfig: Codable, Sendable, Hashable {
    /// Octavia's `[haproxy_amphora] default_connection_limit`, used for −1 and 0.
    public static let defaultConnectionLimit = 50_000

    /// Listener id (the haproxy frontend name in Octavia).
    public var id: String
    /// Listener protocol.
    public var `protocol`: ListenerProtocol
    /// Port on the VIP.
    public var port: Int
    /// Maximum concurrent connections; −1 or 0 mean ``defaultConnectionLimit``.
    public var connectionLimit: Int
    /// The four Octavia timeouts, in milliseconds.
    public var timeouts: ListenerTimeouts
    /// `insert_headers`, e.g. `["X-Forwarded-For": "true"]`.
    public var insertHeaders: [String: String]
    /// Source CIDRs allowed to connect; empty means everyone.
    public var allowedCidrs: [String]
    /// The pool used when no L7 policy matches.
    public var defaultPoolId: String?
    /// L7 policies in position order.
    public var l7Policies: [L7PolicyConfig]
    /// TLS material for TERMINATED_HTTPS.
    public var tls: TLSMaterial?

    /// Creates a listener with Octavia's defaults.
    public init(
        id: String, protocol: ListenerProtocol, port: Int, connectionLimit: Int = -1,
        timeouts: ListenerTimeouts = .init(), insertHeaders: [String: String] = [:], allowedCidrs: [String] = [],
        defaultPoolId: String? = nil, l7Policies: [L7PolicyConfig] = [], tls: TLSMaterial? = nil
    ) {
        self.id = id
        self.protocol = `protocol`
        self.port = port
        self.connectionLimit = connectionLimit
        self.timeouts = timeouts
        self.insertHeaders = insertHeaders
        self.allowedCidrs = allowedCidrs
        self.defaultPoolId = defaultPoolId
        self.l7Policies = l7Policies
        self.tls = tls
    }

    /// The limit in force: −1 and 0 mean the amphora default.
    public var effectiveConnectionLimit: Int {
        connectionLimit <= 0 ? Self.defaultConnectionLimit : connectionLimit
    }

    /// Whether `insert_headers[name]` is `"true"` (case-insensitive, as Octavia's template does).
    public func inserts(_ header: String) -> Bool {
        insertHeaders.first { $0.key.lowercased() == header.lowercased() }?.value.lowercased() == "true"
    }
}

/// Octavia's listener timeouts in milliseconds, with `[haproxy_amphora]` defaults.
public struct ListenerTimeouts: Codable, Sendable, Hashable {
    /// Client inactivity timeout.
    public var clientDataMs: Int
    /// Member connect timeout.
    public var memberConnectMs: Int
    /// Member inactivity timeout.
    public var memberDataMs: Int
    /// TCP inspection delay (content-based routing); 0 disables it.
    public var tcpInspectMs: Int

    /// Creates timeouts; the defaults are Octavia's.
    public init(
        clientDataMs: Int = 50_000, memberConnectMs: Int = 5_000, memberDataMs: Int = 50_000, tcpInspectMs: Int = 0
    ) {
        self.clientDataMs = clientDataMs
        self.memberConnectMs = memberConnectMs
        self.memberDataMs = memberDataMs
        self.tcpInspectMs = tcpInspectMs
    }
}

extension AmphoraConfig {
    enum CodingKeys: String, CodingKey {
        case version = "version"
        case generation = "generation"
        case amphoraId = "amphora_id"
        case role = "role"
        case priority = "priority"
        case peers = "peers"
        case vip = "vip"
        case listeners = "listeners"
        case pools = "pools"
        case vrrp = "vrrp"
        case vipInterface = "vip_interface"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            generation: try c.decode(UInt64.self, forKey: .generation),
            amphoraId: try c.decode(String.self, forKey: .amphoraId),
            role: try c.decodeIfPresent(AmphoraRole.self, forKey: .role) ?? AmphoraRole.standalone,
            priority: try c.decodeIfPresent(Int.self, forKey: .priority) ?? 100,
            peers: try c.decodeIfPresent([String].self, forKey: .peers) ?? [],
            vip: try c.decode(String.self, forKey: .vip),
            listeners: try c.decodeIfPresent([ListenerConfig].self, forKey: .listeners) ?? [],
            pools: try c.decodeIfPresent([PoolConfig].self, forKey: .pools) ?? [],
            vrrp: try c.decodeIfPresent(VRRPConfig.self, forKey: .vrrp),
            vipInterface: try c.decodeIfPresent(VIPInterface.self, forKey: .vipInterface)
        )
        self.version = try c.decodeIfPresent(Int.self, forKey: .version) ?? Self.currentVersion
    }
}

extension ListenerConfig {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case `protocol` = "protocol"
        case port = "port"
        case connectionLimit = "connection_limit"
        case timeouts = "timeouts"
        case insertHeaders = "insert_headers"
        case allowedCidrs = "allowed_cidrs"
        case defaultPoolId = "default_pool_id"
        case l7Policies = "l7_policies"
        case tls = "tls"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            protocol: try c.decode(ListenerProtocol.self, forKey: .`protocol`),
            port: try c.decode(Int.self, forKey: .port),
            connectionLimit: try c.decodeIfPresent(Int.self, forKey: .connectionLimit) ?? -1,
            timeouts: try c.decodeIfPresent(ListenerTimeouts.self, forKey: .timeouts) ?? ListenerTimeouts(),
            insertHeaders: try c.decodeIfPresent([String: String].self, forKey: .insertHeaders) ?? [:],
            allowedCidrs: try c.decodeIfPresent([String].self, forKey: .allowedCidrs) ?? [],
            defaultPoolId: try c.decodeIfPresent(String.self, forKey: .defaultPoolId),
            l7Policies: try c.decodeIfPresent([L7PolicyConfig].self, forKey: .l7Policies) ?? [],
            tls: try c.decodeIfPresent(TLSMaterial.self, forKey: .tls)
        )
    }
}

extension ListenerTimeouts {
    enum CodingKeys: String, CodingKey {
        case clientDataMs = "client_data_ms"
        case memberConnectMs = "member_connect_ms"
        case memberDataMs = "member_data_ms"
        case tcpInspectMs = "tcp_inspect_ms"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            clientDataMs: try c.decodeIfPresent(Int.self, forKey: .clientDataMs) ?? 50_000,
            memberConnectMs: try c.decodeIfPresent(Int.self, forKey: .memberConnectMs) ?? 5_000,
            memberDataMs: try c.decodeIfPresent(Int.self, forKey: .memberDataMs) ?? 50_000,
            tcpInspectMs: try c.decodeIfPresent(Int.self, forKey: .tcpInspectMs) ?? 0
        )
    }
}
