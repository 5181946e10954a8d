/// `GET /v1/info`.
public struct AgentInfo: Codable, Sendable, Hashable {
    /// Amphora id.
    public var amphoraId: String
    /// Agent build version.
    public var agentVersion: String
    /// Agent API version (`v1`).
    public var apiVersion: String
    /// Generation of the config in force (0 before the first).
    public var generation: UInt64
    /// Boot identifier, also sent in heartbeats.
    public var bootId: String
    /// VIP ownership state of an ACTIVE_STANDBY amphora (`BACKUP`, `MASTER`, `FAULT`, or `INITIAL` before the
    /// first decision); absent for SINGLE.
    public var vrrpState: String?
    /// How the engine probes members of PING health monitors: `icmp-datagram`, `icmp-raw` or `tcp-connect`;
    /// absent from agents older than the field.
    public var pingMethod: String?

    /// Creates an info body.
    public init(
        amphoraId: String, agentVersion: String, apiVersion: String, generation: UInt64, bootId: String,
        vrrpState: String? = nil, pingMethod: String? = nil
    ) {
        self.amphoraId = amphoraId
        self.agentVersion = agentVersion
        self.apiVersion = apiVersion
        self.generation = generation
        self.bootId = bootId
        self.vrrpState = vrrpState
        self.pingMethod = pingMethod
    }
}

/// `GET /v1/health`.
public struct AgentHealth: Codable, Sendable, Hashable {
    /// `OK` when every listener is serving.
    public var status: String
    /// Listener id → `OPEN` / `FULL`.
    public var listeners: [String: String]
    /// Pool id → member id → status (`UP`, `DOWN`, `DRAIN`, `MAINT`, `no check`).
    public var members: [String: [String: String]]

    /// Creates a health body.
    public init(status: String, listeners: [String: String], members: [String: [String: String]]) {
        self.status = status
        self.listeners = listeners
        self.members = members
    }
}

/// Counters of one listener or member (cumulative since the agent started).
public struct TrafficStats: Codable, Sendable, Hashable {
    /// Bytes received from clients.
    public var bytesIn: UInt64
    /// Bytes sent to clients.
    public var bytesOut: UInt64
    /// Connections open now.
    public var activeConnections: UInt64
    /// Connections accepted since start.
    public var totalConnections: UInt64
    /// Requests refused as malformed or denied.
    public var requestErrors: UInt64

    /// Creates counters.
    public init(
        bytesIn: UInt64 = 0, bytesOut: UInt64 = 0, activeConnections: UInt64 = 0, totalConnections: UInt64 = 0,
        requestErrors: UInt64 = 0
    ) {
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.activeConnections = activeConnections
        self.totalConnections = totalConnections
        self.requestErrors = requestErrors
    }
}

/// `GET /v1/stats`.
public struct AgentStats: Codable, Sendable, Hashable {
    /// Listener id → counters.
    public var listeners: [String: TrafficStats]
    /// Member id → counters.
    public var members: [String: TrafficStats]

    /// Creates a stats body.
    public init(listeners: [String: TrafficStats], members: [String: TrafficStats]) {
        self.listeners = listeners
        self.members = members
    }
}

/// Answer to `PUT /v1/config`.
public struct ApplyResult: Codable, Sendable, Hashable {
    /// Generation now in force.
    public var generation: UInt64
    /// Whether this request changed anything (false for an idempotent repeat or an older generation).
    public var applied: Bool
    /// Human-readable detail.
    public var message: String

    /// Creates an apply result.
    public init(generation: UInt64, applied: Bool, message: String) {
        self.generation = generation
        self.applied = applied
        self.message = message
    }
}

extension AgentInfo {
    enum CodingKeys: String, CodingKey {
        case amphoraId = "amphora_id"
        case agentVersion = "agent_version"
        case apiVersion = "api_version"
        case generation = "generation"
        case bootId = "boot_id"
        case vrrpState = "vrrp_state"
        case pingMethod = "ping_method"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            amphoraId: try c.decode(String.self, forKey: .amphoraId),
            agentVersion: try c.decode(String.self, forKey: .agentVersion),
            apiVersion: try c.decode(String.self, forKey: .apiVersion),
            generation: try c.decode(UInt64.self, forKey: .generation),
            bootId: try c.decode(String.self, forKey: .bootId),
            vrrpState: try c.decodeIfPresent(String.self, forKey: .vrrpState),
            pingMethod: try c.decodeIfPresent(String.self, forKey: .pingMethod)
        )
    }
}

extension AgentHealth {
    enum CodingKeys: String, CodingKey {
        case status = "status"
        case listeners = "listeners"
        case members = "members"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            status: try c.decode(String.self, forKey: .status),
            listeners: try c.decode([String: String].self, forKey: .listeners),
            members: try c.decode([String: [String: String]].self, forKey: .members)
        )
    }
}

extension TrafficStats {
    enum CodingKeys: String, CodingKey {
        case bytesIn = "bytes_in"
        case bytesOut = "bytes_out"
        case activeConnections = "active_connections"
        case totalConnections = "total_connections"
        case requestErrors = "request_errors"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            bytesIn: try c.decodeIfPresent(UInt64.self, forKey: .bytesIn) ?? 0,
            bytesOut: try c.decodeIfPresent(UInt64.self, forKey: .bytesOut) ?? 0,
            activeConnections: try c.decodeIfPresent(UInt64.self, forKey: .activeConnections) ?? 0,
            totalConnections: try c.decodeIfPresent(UInt64.self, forKey: .totalConnections) ?? 0,
            requestErrors: try c.decodeIfPresent(UInt64.self, forKey: .requestErrors) ?? 0
        )
    }
}

extension AgentStats {
    enum CodingKeys: String, CodingKey {
        case listeners = "listeners"
        case members = "members"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            listeners: try c.decode([String: TrafficStats].self, forKey: .listeners),
            members: try c.decode([String: TrafficStats].self, forKey: .members)
        )
    }
}

extension ApplyResult {
    enum CodingKeys: String, CodingKey {
        case generation = "generation"
        case applied = "applied"
        case message = "message"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            generation: try c.decode(UInt64.self, forKey: .generation),
            applied: try c.decode(Bool.self, forKey: .applied),
            message: try c.decode(String.self, forKey: .message)
        )
    }
}
