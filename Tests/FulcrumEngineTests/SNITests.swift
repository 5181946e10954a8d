import Foundation
import FulcrumCertificates
import FulcrumDrivers
import FulcrumEngine
import FulcrumWire
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import Testing

@Suite("TERMINATED_HTTPS with SNI and client certificates on loopback", .timeLimit(.minutes(1)))
struct SNITests {
    /// A local CA with a server certificate (CN and DNS SAN `name`) per name, and one client certificate.
    struct PKI {
        let ca: LocalCertificateAuthority
        var server: [String: TLSCertificate] = [:]
        let user: IssuedCertificate

        init(servers: [String]) throws {
            let directory = NSTemporaryDirectory() + "fulcrum-sni-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            ca = try LocalCertificateAuthority.loadOrCreate(directory: directory, name: "sni test CA")
            for name in servers {
                let issued = try ca.issueServerCertificate(commonName: name, ipAddresses: [], validity: .seconds(3_600))
                server[name] = TLSCertificate(
                    certificateChainPem: issued.certificatePEM, privateKeyPem: issued.privateKeyPEM)
            }
            user = try ca.issueClientCertificate(commonName: "user", validity: .seconds(3_600))
        }
    }

    /// The common name of the certificate the engine served to a client sending `serverName` (nil: no SNI),
    /// after a request through it succeeded.
    static func servedName(port: Int, serverName: String?) async throws -> String? {
        let seen = Mutex<String?>(nil)
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        let context = try NIOSSLContext(configuration: configuration)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = try NIOSSLClientHandler(
                        context: context, serverHostname: serverName,
                        customVerificationCallback: { chain, promise in
                            let name = chain.first?.subjectName.first(where: { $0.type == .commonName })?.value
                            seen.withLock { $0 = name }
                            promise.succeed(.certificateVerified)
                        })
                    try channel.pipeline.syncOperations.addHandler(tls)
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let response = try await channel.executeThenClose { inbound, outbound in
            try await TestConnection(outbound: outbound, inbound: inbound).get(close: true)
        }
        #expect(response?.status == 200)
        return seen.withLock { $0 }
    }

    @Test("the served certificate follows SNI: exact and wildcard names; unknown, too deep or no SNI get the default")
    func sniSelection() async throws {
        let pki = try PKI(servers: ["default.example", "a.example", "b.example", "*.w.example"])
        let a = try await TestBackend.start("a")
        var config = EngineFixture.config(members: [EngineFixture.member(a)])
        config.listeners[0].protocol = .terminatedHTTPS
        let main = try #require(pki.server["default.example"])
        config.listeners[0].tls = TLSMaterial(
            certificateRefs: ["default", "a", "b", "w"], certificateChainPem: main.certificateChainPem,
            privateKeyPem: main.privateKeyPem,
            sniCertificates: ["a.example", "b.example", "*.w.example"].compactMap { pki.server[$0] })
        let (engine, port) = try await EngineFixture.start(config)
        let cases: [(String?, String)] = [
            ("a.example", "a.example"), ("B.Example", "b.example"), ("x.w.example", "*.w.example"),
            ("y.x.w.example", "default.example"), ("w.example", "default.example"),
            ("unknown.example", "default.example"), (nil, "default.example"),
        ]
        for (serverName, expected) in cases {
            let served = try await Self.servedName(port: port, serverName: serverName)
            #expect(served == expected, "SNI \(serverName ?? "none")")
        }
        await engine.shutdown()
        try await a.stop()
    }

    @Test("with no default container the first SNI certificate is the default; a foreign key fails apply")
    func sniOnly() async throws {
        let pki = try PKI(servers: ["a.example", "b.example"])
        let a = try await TestBackend.start("a")
        var config = EngineFixture.config(members: [EngineFixture.member(a)])
        config.listeners[0].protocol = .terminatedHTTPS
        config.listeners[0].tls = TLSMaterial(
            certificateRefs: ["a", "b"], sniCertificates: ["a.example", "b.example"].compactMap { pki.server[$0] })
        let (engine, port) = try await EngineFixture.start(config)
        #expect(try await Self.servedName(port: port, serverName: "b.example") == "b.example")
        #expect(try await Self.servedName(port: port, serverName: nil) == "a.example")
        var broken = config
        broken.generation = 2
        broken.listeners[0].tls?.sniCertificates[1].privateKeyPem = try #require(pki.server["a.example"]).privateKeyPem
        await #expect(throws: EngineError.self) { try await engine.apply(broken) }
        #expect(await engine.config?.generation == 1)
        await engine.shutdown()
        try await a.stop()
    }

    @Test("X-SSL headers describe the client certificate (OPTIONAL client authentication) and replace forged ones")
    func clientCertificateHeaders() async throws {
        let pki = try PKI(servers: ["default.example"])
        let a = try await TestBackend.start("a")
        let names = [
            "X-SSL-Client-Verify", "X-SSL-Client-Has-Cert", "X-SSL-Client-DN", "X-SSL-Client-CN", "X-SSL-Issuer",
            "X-SSL-Client-SHA1", "X-SSL-Client-Not-Before", "X-SSL-Client-Not-After",
        ]
        var config = EngineFixture.config(
            members: [EngineFixture.member(a)],
            insertHeaders: Dictionary(uniqueKeysWithValues: names.map { ($0, "true") }))
        config.listeners[0].protocol = .terminatedHTTPS
        let main = try #require(pki.server["default.example"])
        config.listeners[0].tls = TLSMaterial(
            certificateRefs: ["default"], certificateChainPem: main.certificateChainPem,
            privateKeyPem: main.privateKeyPem, clientCaPem: pki.ca.caCertificatePEM, clientAuthentication: "OPTIONAL")
        let (engine, port) = try await EngineFixture.start(config)
        var client = TLSConfiguration.makeClientConfiguration()
        client.certificateVerification = .none
        let anonymous = try NIOSSLContext(configuration: client)
        client.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(pki.user.certificatePEM.utf8)).map {
            .certificate($0)
        }
        client.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(pki.user.privateKeyPEM.utf8), format: .pem))
        let user = try NIOSSLContext(configuration: client)

        let withCertificate = try #require(
            try await withConnection(port: port, tls: user) {
                try await $0.get(headers: ["X-SSL-Client-CN: forged", "X-SSL-Client-Verify: 0"])
            })
        let seen = Self.headers(withCertificate.body)
        #expect(seen["x-ssl-client-verify"] == ["0"])
        #expect(seen["x-ssl-client-has-cert"] == ["1"])
        #expect(seen["x-ssl-client-cn"] == [#""user""#])
        #expect(seen["x-ssl-client-dn"] == [#""/O=Fulcrum/CN=user""#])
        #expect(seen["x-ssl-issuer"] == [#""/O=Fulcrum/CN=sni test CA""#])
        #expect(seen["x-ssl-client-not-after"]?.count == 1)
        #expect(seen["x-ssl-client-not-before"]?.first?.hasSuffix(#"Z""#) == true)
        let sha1 = try #require(seen["x-ssl-client-sha1"]?.first)
        #expect(sha1.count == 42 && sha1 == sha1.uppercased())

        let without = try #require(
            try await withConnection(port: port, tls: anonymous) { try await $0.get(headers: ["X-SSL-Client-CN: x"]) })
        let bare = Self.headers(without.body)
        #expect(bare["x-ssl-client-verify"] == ["0"])
        #expect(bare["x-ssl-client-has-cert"] == ["0"])
        #expect(bare["x-ssl-client-cn"] == [#""""#])  // the forged value is overwritten
        await engine.shutdown()
        try await a.stop()
    }

    @Test("a client's close_notify closes the connection at once (no wait for NIOSSL's 5 s shutdown timeout)")
    func closeNotify() async throws {
        let pki = try PKI(servers: ["default.example"])
        let a = try await TestBackend.start("a")
        var config = EngineFixture.config(members: [EngineFixture.member(a)])
        config.listeners[0].protocol = .terminatedHTTPS
        let main = try #require(pki.server["default.example"])
        config.listeners[0].tls = TLSMaterial(
            certificateRefs: ["default"], certificateChainPem: main.certificateChainPem,
            privateKeyPem: main.privateKeyPem)
        let (engine, port) = try await EngineFixture.start(config)
        var client = TLSConfiguration.makeClientConfiguration()
        client.certificateVerification = .none
        let tls = try NIOSSLContext(configuration: client)
        let start = ContinuousClock.now
        #expect(try await withConnection(port: port, tls: tls) { try await $0.get() }?.status == 200)
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(4), "the client's close took \(elapsed)")
        #expect(
            try await EngineFixture.eventually(seconds: 2) {
                await engine.stats().listeners["l1"]?.activeConnections == 0
            })
        await engine.shutdown()
        try await a.stop()
    }

    /// The `x-*` header lines the test backend echoed, by lower-case name.
    static func headers(_ body: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for line in body.split(separator: "\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingPrefix(" ")
            result[String(line[..<colon]), default: []].append(String(value))
        }
        return result
    }
}
