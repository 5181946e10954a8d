import Foundation
import FulcrumAgent
import FulcrumEngine
import FulcrumTestSupport
import FulcrumWire
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Testing

/// Test PKI made with the openssl CLI at test time: CA1 issues the agent's server cert (IP 127.0.0.1) and a
/// controller client cert; CA2 issues a foreign client cert.
struct TestPKI {
    let directory: String

    static func make() async throws -> TestPKI {
        let directory = NSTemporaryDirectory() + "fulcrum-pki-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = """
            set -e
            cd '\(directory)'
            key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
            ca() { key "$1"; openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 2 -subj "/CN=$1" 2>/dev/null; }
            leaf() {
              key "$1"; openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$1" 2>/dev/null
              printf '%s\\n' "$3" > "$1.ext"
              openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -out "$1.pem" -days 2 \\
                -extfile "$1.ext" 2>/dev/null
            }
            ca ca1; ca ca2
            leaf amp-1 ca1 "subjectAltName=IP:127.0.0.1"
            leaf amp-1-rotated ca1 "subjectAltName=IP:127.0.0.1"
            leaf controller ca1 "extendedKeyUsage=clientAuth"
            leaf intruder ca2 "extendedKeyUsage=clientAuth"
            """
        let made = try await ToolRun.run("/bin/sh", ["-c", script], timeout: .seconds(60))
        guard made.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        return TestPKI(directory: directory)
    }

    func pem(_ name: String) throws -> String { try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8) }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

@Suite("Agent API over mutual TLS", .timeLimit(.minutes(1)))
struct AgentAPITests {
    @Test("a controller certificate from the agent's CA is served; none or a foreign one is refused")
    func mutualTLS() async throws {
        let pki = try await TestPKI.make()
        defer { pki.remove() }
        let engine = Engine(group: MultiThreadedEventLoopGroup.singleton)
        var configuration = AgentAPIConfiguration(
            host: "127.0.0.1", port: 0, certificateChainPem: try pki.pem("amp-1.pem"),
            privateKeyPem: try pki.pem("amp-1.key"), clientCaPem: try pki.pem("ca1.pem"))
        configuration.rotatedCertificateFiles = ("\(pki.directory)/saved.pem", "\(pki.directory)/saved.key")
        let api = try AgentAPI(
            engine: engine, amphoraId: "amp-1", bootId: "boot", configuration: configuration,
            logger: Logger(label: "test"))
        let ports = AsyncStream<Int>.makeStream()
        try await withThrowingTaskGroup { group in
            group.addTask { try await api.run { ports.continuation.yield($0) } }
            var iterator = ports.stream.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let ca = try pki.pem("ca1.pem")
            let controller = (try pki.pem("controller.pem"), try pki.pem("controller.key"))

            let info = try await Self.request(port: port, ca: ca, client: controller, .GET, "/v1/info")
            #expect(info?.status == 200)
            let decoded = try WireJSON.decode(AgentInfo.self, from: try #require(info).body)
            #expect(decoded.amphoraId == "amp-1" && decoded.generation == 0 && decoded.bootId == "boot")
            #expect(decoded.pingMethod == engine.pingMethod.rawValue)

            let config = AmphoraConfig(
                generation: 4, amphoraId: "amp-1", vip: "127.0.0.1",
                listeners: [ListenerConfig(id: "l", protocol: .tcp, port: 0, defaultPoolId: "p")],
                pools: [PoolConfig(id: "p", protocol: .tcp)])
            let put = try await Self.request(
                port: port, ca: ca, client: controller, .PUT, "/v1/config", body: try WireJSON.encode(config))
            #expect(put?.status == 200)
            #expect(try WireJSON.decode(ApplyResult.self, from: try #require(put).body).applied)
            let get = try await Self.request(port: port, ca: ca, client: controller, .GET, "/v1/config")
            #expect(try WireJSON.decode(AmphoraConfig.self, from: try #require(get).body) == config)
            var older = config
            older.generation = 3
            let stale = try await Self.request(
                port: port, ca: ca, client: controller, .PUT, "/v1/config", body: try WireJSON.encode(older))
            #expect(stale?.status == 409)
            let health = try await Self.request(port: port, ca: ca, client: controller, .GET, "/v1/health")
            #expect(try WireJSON.decode(AgentHealth.self, from: try #require(health).body).listeners == ["l": "OPEN"])
            let stats = try await Self.request(port: port, ca: ca, client: controller, .GET, "/v1/stats")
            #expect(stats?.status == 200)
            let scrape = try #require(try await Self.request(port: port, ca: ca, client: controller, .GET, "/metrics"))
            #expect(scrape.status == 200)
            let metrics = try PrometheusText(parsing: String(decoding: scrape.body, as: UTF8.self))
            #expect(metrics.value("fulcrum_amphora_config_generation") == 4)
            #expect(metrics.value("fulcrum_listener_connections_total", ["listener": "l"]) == 0)
            #expect(metrics.value("fulcrum_listener_status", ["listener": "l", "state": "OPEN"]) == 1)

            let anonymous = try? await Self.request(port: port, ca: ca, client: nil, .GET, "/v1/info")
            #expect(anonymous == nil)
            let intruder = (try pki.pem("intruder.pem"), try pki.pem("intruder.key"))
            let foreign = try? await Self.request(port: port, ca: ca, client: intruder, .GET, "/v1/info")
            #expect(foreign == nil)

            let rotation = CertificateRotation(
                certificateChainPem: try pki.pem("amp-1-rotated.pem"), privateKeyPem: try pki.pem("amp-1-rotated.key"))
            let rotated = try await Self.request(
                port: port, ca: ca, client: controller, .PUT, "/v1/certificate", body: try WireJSON.encode(rotation))
            #expect(rotated?.status == 202)
            // Saved (0600) so that a restarted agent serves the rotated certificate.
            #expect(try pki.pem("saved.pem") == rotation.certificateChainPem)
            #expect(try pki.pem("saved.key") == rotation.privateKeyPem)
            let mode = try FileManager.default.attributesOfItem(atPath: "\(pki.directory)/saved.key")[.posixPermissions]
            #expect((mode as? Int) == 0o600)
            #expect(try await Self.request(port: port, ca: ca, client: controller, .GET, "/v1/info")?.status == 200)
            let garbage = try await Self.request(
                port: port, ca: ca, client: controller, .PUT, "/v1/certificate", body: Array("{}".utf8))
            #expect(garbage?.status == 400)

            group.cancelAll()
        }
        await engine.shutdown()
    }

    struct Response: Sendable {
        var status: Int
        var body: [UInt8]
    }

    /// One request; nil when the connection ended without a response.
    static func request(
        port: Int, ca: String, client: (String, String)?, _ method: HTTPMethod, _ path: String, body: [UInt8] = []
    ) async throws -> Response? {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(ca.utf8)))
        tls.certificateVerification = .noHostnameVerification
        if let client {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(client.0.utf8)).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(client.1.utf8), format: .pem))
        }
        let context = try NIOSSLContext(configuration: tls)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: context, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "host", value: "amp-1")
            head.headers.add(name: "content-length", value: "\(body.count)")
            head.headers.add(name: "connection", value: "close")
            try await outbound.write(.head(head))
            if !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
            var status: Int?
            var collected: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let response): status = Int(response.status.code)
                case .body(let buffer): collected += buffer.readableBytesView
                case .end: return status.map { Response(status: $0, body: collected) }
                }
            }
            return nil
        }
    }
}
