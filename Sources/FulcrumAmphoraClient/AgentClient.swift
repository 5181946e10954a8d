public import AsyncHTTPClient
public import FulcrumDrivers
public import FulcrumWire
public import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// `AmphoraDriver` over HTTPS with the controller's client certificate. The agent must present a
/// certificate issued by the controller CA for its management address (IP SAN).
public final class AgentClient: AmphoraDriver {
    /// The controller's TLS identity.
    public struct Identity: Sendable {
        public var caCertificatePEM: String
        public var clientCertificatePEM: String
        /// Secret: never logged.
        public var clientPrivateKeyPEM: String

        /// Creates an identity.
        public init(caCertificatePEM: String, clientCertificatePEM: String, clientPrivateKeyPEM: String) {
            self.caCertificatePEM = caCertificatePEM
            self.clientCertificatePEM = clientCertificatePEM
            self.clientPrivateKeyPEM = clientPrivateKeyPEM
        }
    }

    private let configuration: HTTPClient.Configuration
    /// Created on first use, so a client that never called an agent needs no shutdown.
    private let client = Mutex<HTTPClient?>(nil)
    private let timeout: TimeAmount
    /// AsyncHTTPClient's deadline plus a margin: see `withHardDeadline`.
    private let hardDeadline: Duration

    /// Warns when a call hits the hard deadline (a wedged HTTP client).
    private let logger: Logger

    /// Creates a client; call `shutdown()` when done (after the first call, HTTPClient requires it).
    public init(
        identity: Identity, timeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "fulcrum.agent-client", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws {
        self.logger = logger
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(identity.caCertificatePEM.utf8)))
        tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(identity.clientCertificatePEM.utf8)).map {
            .certificate($0)
        }
        tls.privateKey = .privateKey(
            try NIOSSLPrivateKey(bytes: Array(identity.clientPrivateKeyPEM.utf8), format: .pem))
        tls.minimumTLSVersion = .tlsv12
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        self.configuration = configuration
        self.timeout = .nanoseconds(
            timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        self.hardDeadline = timeout + .seconds(5)
    }

    /// Closes pooled connections.
    public func shutdown() async throws {
        let created = client.withLock { current -> HTTPClient? in
            defer { current = nil }
            return current
        }
        try await created?.shutdown()
    }

    /// Drops `wedged` (if it is still the current client) and shuts it down in the background.
    private func reset(_ wedged: HTTPClient) {
        let dropped = client.withLock { current -> Bool in
            guard current === wedged else { return false }
            current = nil
            return true
        }
        if dropped { Task { try? await wedged.shutdown() } }
    }

    private var httpClient: HTTPClient {
        client.withLock { current in
            if let current { return current }
            let created = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            current = created
            return created
        }
    }

    public func info(_ endpoint: AgentEndpoint) async throws -> AgentInfo {
        try await call(.GET, "/v1/info", endpoint, body: nil, as: AgentInfo.self)
    }

    public func apply(_ config: AmphoraConfig, to endpoint: AgentEndpoint) async throws -> ApplyResult {
        try await call(.PUT, "/v1/config", endpoint, body: try WireJSON.encode(config), as: ApplyResult.self)
    }

    public func stats(_ endpoint: AgentEndpoint) async throws -> AgentStats {
        try await call(.GET, "/v1/stats", endpoint, body: nil, as: AgentStats.self)
    }

    public func rotateCertificate(_ rotation: CertificateRotation, at endpoint: AgentEndpoint) async throws {
        _ = try await call(
            .PUT, "/v1/certificate", endpoint, body: try WireJSON.encode(rotation), as: AgentMessage.self)
    }

    /// `{"message": …}` answers.
    struct AgentMessage: Decodable {
        var message: String
    }

    private func call<T: Decodable>(
        _ method: HTTPMethod, _ path: String, _ endpoint: AgentEndpoint, body: [UInt8]?, as type: T.Type
    ) async throws -> T {
        var request = HTTPClientRequest(url: "https://\(endpoint.host):\(endpoint.port)\(path)")
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let client = httpClient
        let timeout = self.timeout
        let prepared = request
        let status: UInt
        let bytes: [UInt8]
        do {
            (status, bytes) = try await withHardDeadline(hardDeadline) {
                let response = try await client.execute(prepared, timeout: timeout)
                let body = try await response.body.collect(upTo: 4 << 20)
                return (response.status.code, Array(body.readableBytesView))
            }
        } catch let error as HardDeadlineExceeded {
            // the client is wedged: the next call gets a new one
            logger.warning(
                "agent call got no answer within its hard deadline; HTTP client replaced",
                metadata: ["agent.endpoint": "\(endpoint.host):\(endpoint.port)", "agent.path": "\(path)"])
            reset(client)
            throw AmphoraDriverError(.unreachable, endpoint, "\(error)")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw AmphoraDriverError(.unreachable, endpoint, "\(error)")
        }
        switch status {
        case 200..<300:
            do {
                return try WireJSON.decode(type, from: bytes)
            } catch {
                throw AmphoraDriverError(.agentFailure, endpoint, "unreadable answer to \(method) \(path): \(error)")
            }
        case 400..<500:
            throw AmphoraDriverError(
                .rejected, endpoint, "\(status): \(String(decoding: bytes.prefix(2_000), as: UTF8.self))")
        default:
            throw AmphoraDriverError(
                .agentFailure, endpoint,
                "\(status): \(String(decoding: bytes.prefix(2_000), as: UTF8.self))")
        }
    }
}
