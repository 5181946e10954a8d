public import FulcrumWire

/// Where an amphora's agent API answers: its management address, and its id (the CN and DNS SAN
/// of its server certificate).
public struct AgentEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var amphoraID: String
    public var host: String
    public var port: Int

    /// Creates an endpoint; the agent port defaults to Octavia's 9443.
    public init(amphoraID: String, host: String, port: Int = 9443) {
        self.amphoraID = amphoraID
        self.host = host
        self.port = port
    }

    public var description: String { "\(amphoraID)@\(host):\(port)" }
}

/// Why a call to an amphora agent failed.
public struct AmphoraDriverError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failure class.
    public enum Code: String, Sendable, Hashable {
        /// Not reachable (yet): connection refused, timeout, TLS not up.
        case unreachable
        /// The agent refused the request (4xx), e.g. an invalid configuration.
        case rejected
        /// The agent failed (5xx) or answered something unreadable.
        case agentFailure
    }

    public var code: Code
    public var endpoint: AgentEndpoint
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ endpoint: AgentEndpoint, _ message: String) {
        self.code = code
        self.endpoint = endpoint
        self.message = message
    }

    public var description: String { "\(code.rawValue) \(endpoint): \(message)" }
}

/// The controller's side of the amphora agent API (mutual TLS).
public protocol AmphoraDriver: Sendable {
    /// `GET /v1/info`: identity, versions and applied generation.
    func info(_ endpoint: AgentEndpoint) async throws -> AgentInfo
    /// `PUT /v1/config`: the whole desired configuration; idempotent by generation.
    func apply(_ config: AmphoraConfig, to endpoint: AgentEndpoint) async throws -> ApplyResult
    /// `GET /v1/stats`.
    func stats(_ endpoint: AgentEndpoint) async throws -> AgentStats
    /// `PUT /v1/certificate`: replaces the agent's server certificate (rotation); new connections use it.
    func rotateCertificate(_ rotation: CertificateRotation, at endpoint: AgentEndpoint) async throws
}
