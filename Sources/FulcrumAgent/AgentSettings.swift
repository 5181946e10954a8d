public import FulcrumWire

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
    /// The mTLS agent API, if served: address and PEM file paths (read by the executable).
    public var api: APISettings?

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
        api: APISettings? = nil
    ) {
        self.controllers = controllers
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.heartbeatKey = heartbeatKey
        self.heartbeatBindHost = heartbeatBindHost
        self.listenerBindHost = listenerBindHost
        self.eventLoops = eventLoops
        self.api = api
    }

    enum CodingKeys: String, CodingKey {
        case controllers
        case heartbeatIntervalMs = "heartbeat_interval_ms"
        case heartbeatKey = "heartbeat_key"
        case heartbeatBindHost = "heartbeat_bind_host"
        case listenerBindHost = "listener_bind_host"
        case eventLoops = "event_loops"
        case api
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
            api: try c.decodeIfPresent(APISettings.self, forKey: .api))
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

    /// Parses and validates the file's bytes.
    public static func parse(_ bytes: [UInt8]) throws -> AgentConfigFile {
        let file = try WireJSON.decode(AgentConfigFile.self, from: bytes)
        guard file.amphora.version == AmphoraConfig.currentVersion else {
            throw AgentError(.invalidConfig, "unsupported amphora config version \(file.amphora.version)")
        }
        for controller in file.agent.controllers where ControllerAddress(controller) == nil {
            throw AgentError(.invalidConfig, "controller \(controller) is not ip:port")
        }
        guard file.agent.heartbeatIntervalMs > 0, file.agent.eventLoops > 0 else {
            throw AgentError(.invalidConfig, "heartbeat_interval_ms and event_loops must be positive")
        }
        return file
    }
}

/// The agent's errors.
public struct AgentError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value { case invalidConfig }
        private let value: Value
        /// The config file or document is not usable.
        public static let invalidConfig = Code(value: .invalidConfig)
        public var description: String { "\(value)" }
    }

    /// The kind.
    public var code: Code
    /// Detail.
    public var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// `ip:port` or `[ipv6]:port`.
struct ControllerAddress: Sendable, Hashable {
    var host: String
    var port: Int

    init?(_ text: String) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()) else { return nil }
            self.port = port
        } else {
            let parts = text.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]) else { return nil }
            host = String(parts[0])
            self.port = port
        }
        guard (1...65535).contains(port) else { return nil }
    }
}
