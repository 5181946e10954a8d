public import FoundationEssentials

/// The agent's own settings, next to the ``AmphoraConfig`` it starts with (Octavia renders the same into
/// `amphora-agent.conf`: controller list, heartbeat interval and key).
public struct AgentSettings: Codable, Sendable, Hashable {
    /// `ip:port` of each health manager (IPv6 in brackets); one receives each heartbeat, round robin.
    public var controllers: [String]
    /// Milliseconds between heartbeats (Octavia: 10 s).
    public var heartbeatIntervalMs: Int
    /// The deployment's shared heartbeat key.
    public var heartbeatKey: String
    /// Source address of heartbeat datagrams.
    public var heartbeatBindHost: String
    /// Address listeners bind to instead of the VIP (a host without the VIP configured).
    public var listenerBindHost: String?
    /// Event loop threads of the engine.
    public var eventLoops: Int
    /// Milliseconds the connections of a removed or replaced listener (and, on shutdown, of every listener) may
    /// take to finish before they are closed.
    public var drainTimeoutMs: Int
    /// The mTLS agent API, if served: address and PEM file paths (read by the executable).
    public var api: APISettings?
    /// The `ip` command that adds and removes the VIP of an ACTIVE_STANDBY amphora (nil: `/bin/ip`).
    public var ipPath: String?
    /// The `arping` command that sends gratuitous ARP for the VIP (nil: `/bin/arping`).
    public var arpingPath: String?

    /// Where the agent API listens and where its PEM files are.
    public struct APISettings: Codable, Sendable, Hashable {
        /// Bind address.
        public var host: String
        /// Port (Octavia: 9443).
        public var port: Int
        /// Server certificate chain file.
        public var certificateChainFile: String
        /// Server private key file.
        public var privateKeyFile: String
        /// Client CA file.
        public var clientCaFile: String

        /// Creates API settings.
        public init(host: String, port: Int, certificateChainFile: String, privateKeyFile: String, clientCaFile: String)
        {
            self.host = host
            self.port = port
            self.certificateChainFile = certificateChainFile
            self.privateKeyFile = privateKeyFile
            self.clientCaFile = clientCaFile
        }

        enum CodingKeys: String, CodingKey {
            case host, port
            case certificateChainFile = "certificate_chain_file"
            case privateKeyFile = "private_key_file"
            case clientCaFile = "client_ca_file"
        }
    }

    /// Creates settings.
    public init(
        controllers: [String], heartbeatIntervalMs: Int = 10_000, heartbeatKey: String,
        heartbeatBindHost: String = "0.0.0.0", listenerBindHost: String? = nil, eventLoops: Int = 1,
        drainTimeoutMs: Int = 30_000, api: APISettings? = nil, ipPath: String? = nil, arpingPath: String? = nil
    ) {
        self.controllers = controllers
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.heartbeatKey = heartbeatKey
        self.heartbeatBindHost = heartbeatBindHost
        self.listenerBindHost = listenerBindHost
        self.eventLoops = eventLoops
        self.drainTimeoutMs = drainTimeoutMs
        self.api = api
        self.ipPath = ipPath
        self.arpingPath = arpingPath
    }

    enum CodingKeys: String, CodingKey {
        case controllers
        case heartbeatIntervalMs = "heartbeat_interval_ms"
        case heartbeatKey = "heartbeat_key"
        case heartbeatBindHost = "heartbeat_bind_host"
        case listenerBindHost = "listener_bind_host"
        case eventLoops = "event_loops"
        case drainTimeoutMs = "drain_timeout_ms"
        case api
        case ipPath = "ip_path"
        case arpingPath = "arping_path"
    }

    /// Decodes with defaults for the optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            controllers: try c.decodeIfPresent([String].self, forKey: .controllers) ?? [],
            heartbeatIntervalMs: try c.decodeIfPresent(Int.self, forKey: .heartbeatIntervalMs) ?? 10_000,
            heartbeatKey: try c.decode(String.self, forKey: .heartbeatKey),
            heartbeatBindHost: try c.decodeIfPresent(String.self, forKey: .heartbeatBindHost) ?? "0.0.0.0",
            listenerBindHost: try c.decodeIfPresent(String.self, forKey: .listenerBindHost),
            eventLoops: try c.decodeIfPresent(Int.self, forKey: .eventLoops) ?? 1,
            drainTimeoutMs: try c.decodeIfPresent(Int.self, forKey: .drainTimeoutMs) ?? 30_000,
            api: try c.decodeIfPresent(APISettings.self, forKey: .api),
            ipPath: try c.decodeIfPresent(String.self, forKey: .ipPath),
            arpingPath: try c.decodeIfPresent(String.self, forKey: .arpingPath))
    }
}

/// The file given to `amphora-agent --config`: `{"agent": {...}, "amphora": {...AmphoraConfig...}}`.
public struct AgentConfigFile: Codable, Sendable, Hashable {
    /// Agent settings.
    public var agent: AgentSettings
    /// The initial load-balancer config.
    public var amphora: AmphoraConfig

    /// Creates a file body.
    public init(agent: AgentSettings, amphora: AmphoraConfig) {
        self.agent = agent
        self.amphora = amphora
    }
}
