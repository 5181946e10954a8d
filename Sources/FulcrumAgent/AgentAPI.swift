public import FulcrumEngine
public import FulcrumWire
public import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// PEM material and address of the agent API.
public struct AgentAPIConfiguration: Sendable {
    /// Bind address.
    public var host: String
    /// Port (0 lets the OS choose).
    public var port: Int
    /// Server certificate chain (PEM), issued by the controller CA with CN = amphora id.
    public var certificateChainPem: String
    /// Server private key (PEM).
    public var privateKeyPem: String
    /// CA (PEM) that must have issued the controller's client certificate.
    public var clientCaPem: String
    /// Where a rotated certificate chain and key are saved (0600), so an agent restart keeps serving them.
    public var rotatedCertificateFiles: (chain: String, key: String)?

    /// Creates a configuration.
    public init(host: String, port: Int, certificateChainPem: String, privateKeyPem: String, clientCaPem: String) {
        self.host = host
        self.port = port
        self.certificateChainPem = certificateChainPem
        self.privateKeyPem = privateKeyPem
        self.clientCaPem = clientCaPem
    }
}

/// The agent API over mutual TLS: `GET /v1/info`, `GET|PUT /v1/config`, `GET /v1/stats`, `GET /v1/health`,
/// `PUT /v1/certificate`, and `GET /metrics` (the engine's counters as Prometheus text). A client certificate issued by the configured CA is required; a rotated server
/// certificate applies to new connections.
public final class AgentAPI: Sendable {
    static let maxBody = 8 * 1024 * 1024

    private let engine: Engine
    private let amphoraId: String
    private let bootId: String
    private let configuration: AgentAPIConfiguration
    private let tls: Mutex<NIOSSLContext>
    private let logger: Logger
    private let vrrpState: @Sendable () -> String?
    private let onApplied: @Sendable (AmphoraConfig) -> Void

    /// Creates the API; throws when the PEM material does not load. `vrrpState` feeds `vrrp_state` in
    /// `GET /v1/info`; `onApplied` sees every config that `PUT /v1/config` applied.
    public init(
        engine: Engine, amphoraId: String, bootId: String, configuration: AgentAPIConfiguration, logger: Logger,
        vrrpState: @escaping @Sendable () -> String? = { nil },
        onApplied: @escaping @Sendable (AmphoraConfig) -> Void = { _ in }
    ) throws {
        self.engine = engine
        self.amphoraId = amphoraId
        self.bootId = bootId
        self.configuration = configuration
        self.logger = logger
        self.vrrpState = vrrpState
        self.onApplied = onApplied
        self.tls = Mutex(
            try Self.context(
                chain: configuration.certificateChainPem, key: configuration.privateKeyPem,
                clientCA: configuration.clientCaPem))
    }

    /// Writes `text` to `path` atomically (a 0600 temporary file renamed over it).
    static func save(_ text: String, to path: String) throws {
        let temporary = path + ".new"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw AgentAPIError.io("cannot write \(temporary): errno \(errno)") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            throw AgentAPIError.io("cannot replace \(path): errno \(errno)")
        }
    }

    static func context(chain: String, key: String, clientCA: String) throws -> NIOSSLContext {
        let certificates = try NIOSSLCertificate.fromPEMBytes(Array(chain.utf8))
        let privateKey = try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem)
        let roots = try NIOSSLCertificate.fromPEMBytes(Array(clientCA.utf8))
        var tls = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(privateKey),
            trustRoots: .certificates(roots))
        tls.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: tls)
    }

    /// Binds and serves until the task is cancelled; `onBound` receives the port.
    public func run(onBound: @Sendable (Int) -> Void = { _ in }) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let context = self.tls.withLock { $0 }
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        onBound(server.channel.localAddress?.port ?? 0)
        try await withTaskCancellationHandler {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onCancel: {
            server.channel.close(promise: nil)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let h):
                        head = h
                        body = []
                    case .body(let buffer):
                        body += buffer.readableBytesView
                        if body.count > Self.maxBody { throw ChannelError.inputClosed }
                    case .end:
                        guard let request = head else { continue }
                        let (status, payload) = await respond(request, body: body)
                        let type = Self.isMetrics(request) ? ExpositionWriter.contentType : "application/json"
                        var headers = HTTPHeaders([("content-type", type), ("content-length", "\(payload.count)")])
                        if !request.isKeepAlive { headers.add(name: "connection", value: "close") }
                        try await outbound.write(
                            .head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: payload))))
                        try await outbound.write(.end(nil))
                        if !request.isKeepAlive { return }
                    }
                }
            }
        } catch {
            // a failed handshake (no or foreign client certificate) or a broken connection ends here
            logger.debug("agent api connection ended", metadata: ["error": "\(error)"])
        }
    }

    func respond(_ head: HTTPRequestHead, body: [UInt8]) async -> (HTTPResponseStatus, [UInt8]) {
        do {
            switch (head.method, head.uri.split(separator: "?").first.map(String.init) ?? head.uri) {
            case (.GET, "/v1/info"):
                let generation = await engine.config?.generation ?? 0
                return try (
                    .ok,
                    WireJSON.encode(
                        AgentInfo(
                            amphoraId: amphoraId, agentVersion: "0.1.0", apiVersion: "v1", generation: generation,
                            bootId: bootId, vrrpState: vrrpState(), pingMethod: engine.pingMethod.rawValue))
                )
            case (.GET, "/v1/config"):
                guard let config = await engine.config else { return Self.error(.notFound, "no config applied") }
                return try (.ok, WireJSON.encode(config))
            case (.PUT, "/v1/config"):
                let config: AmphoraConfig
                do {
                    config = try WireJSON.decode(AmphoraConfig.self, from: body)
                } catch {
                    return Self.error(.badRequest, "invalid AmphoraConfig: \(error)")
                }
                guard config.amphoraId == amphoraId else {
                    return Self.error(.badRequest, "config is for another amphora")
                }
                guard config.version == AmphoraConfig.currentVersion else {
                    return Self.error(.badRequest, "unsupported config version \(config.version)")
                }
                do {
                    _ = try VIPOwner.Settings(config)
                } catch {
                    return Self.error(.badRequest, error.description)
                }
                let result = try await engine.apply(config)
                if result.applied { onApplied(config) }
                let refused = !result.applied && result.generation > config.generation
                return try (refused ? .conflict : .ok, WireJSON.encode(result))
            case (.GET, "/v1/stats"):
                return try (.ok, WireJSON.encode(await engine.stats()))
            case (.GET, "/v1/health"):
                return try (.ok, WireJSON.encode(await engine.health()))
            case (.GET, "/metrics"):
                return (.ok, Array(engine.prometheusText().utf8))
            case (.PUT, "/v1/certificate"):
                let rotation = try WireJSON.decode(CertificateRotation.self, from: body)
                let context = try Self.context(
                    chain: rotation.certificateChainPem, key: rotation.privateKeyPem,
                    clientCA: configuration.clientCaPem)
                if let files = configuration.rotatedCertificateFiles {
                    try Self.save(rotation.privateKeyPem, to: files.key)
                    try Self.save(rotation.certificateChainPem, to: files.chain)
                }
                tls.withLock { $0 = context }
                return (.accepted, Array(#"{"message":"OK"}"#.utf8))
            default:
                return Self.error(.notFound, "no route \(head.method) \(head.uri)")
            }
        } catch {
            return Self.error(.badRequest, "\(error)")
        }
    }

    /// `GET /metrics` answers Prometheus text rather than JSON.
    static func isMetrics(_ head: HTTPRequestHead) -> Bool {
        head.method == .GET && (head.uri.split(separator: "?").first.map(String.init) ?? head.uri) == "/metrics"
    }

    static func error(_ status: HTTPResponseStatus, _ message: String) -> (HTTPResponseStatus, [UInt8]) {
        let body = (try? WireJSON.encode(["message": message, "details": "\(status.code)"])) ?? []
        return (status, body)
    }
}

/// Local failures of the agent API.
enum AgentAPIError: Error, CustomStringConvertible {
    case io(String)

    var description: String {
        switch self {
        case .io(let message): message
        }
    }
}
