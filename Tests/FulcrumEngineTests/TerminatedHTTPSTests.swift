import Foundation
import FulcrumEngine
import FulcrumTestSupport
import FulcrumWire
import NIOSSL
import Synchronization
import Testing

@Suite("TERMINATED_HTTPS on loopback", .timeLimit(.minutes(1)))
struct TerminatedHTTPSTests {
    /// A CA and a server certificate for 127.0.0.1, made with the openssl CLI at test time.
    static func makeCertificates() async throws -> (
        ca: String, chain: String, key: String, user: String, userKey: String
    ) {
        let directory = NSTemporaryDirectory() + "fulcrum-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = """
            set -e
            cd '\(directory)'
            openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key 2>/dev/null
            openssl req -x509 -new -key ca.key -out ca.pem -days 2 -subj /CN=test-ca 2>/dev/null
            openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out vip.key 2>/dev/null
            openssl req -new -key vip.key -out vip.csr -subj /CN=vip 2>/dev/null
            printf 'subjectAltName=IP:127.0.0.1\\n' > vip.ext
            openssl x509 -req -in vip.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out vip.pem -days 2 \\
              -extfile vip.ext 2>/dev/null
            openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out user.key 2>/dev/null
            openssl req -new -key user.key -out user.csr -subj /CN=user 2>/dev/null
            printf 'extendedKeyUsage=clientAuth\\n' > user.ext
            openssl x509 -req -in user.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out user.pem -days 2 \\
              -extfile user.ext 2>/dev/null
            """
        let made = try await ToolRun.run("/bin/sh", ["-c", script], timeout: .seconds(60))
        #expect(made.status == 0, "openssl failed")
        func read(_ name: String) throws -> String {
            try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8)
        }
        return (
            try read("ca.pem"), try read("vip.pem"), try read("vip.key"), try read("user.pem"), try read("user.key")
        )
    }

    @Test("TLS is terminated, the member sees plain HTTP with X-Forwarded-Proto https")
    func terminate() async throws {
        let pem = try await Self.makeCertificates()
        let a = try await TestBackend.start("a")
        var config = EngineFixture.config(
            members: [EngineFixture.member(a)], insertHeaders: ["X-Forwarded-Proto": "true"])
        config.listeners[0].protocol = .terminatedHTTPS
        config.listeners[0].tls = TLSMaterial(
            certificateRefs: ["ref"], certificateChainPem: pem.chain, privateKeyPem: pem.key)
        let (engine, port) = try await EngineFixture.start(config)
        var client = TLSConfiguration.makeClientConfiguration()
        client.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.ca.utf8)))
        client.certificateVerification = .noHostnameVerification
        let tls = try NIOSSLContext(configuration: client)
        let responses = try await withConnection(port: port, tls: tls) { conn in
            [try await conn.get(), try await conn.get()]
        }
        #expect(responses.map { $0?.firstLine } == ["a", "a"])
        #expect(responses[0]?.body.contains("x-forwarded-proto: https\n") == true)
        // a plain-text client gets no HTTP answer
        let plain = try await withConnection(port: port) { try await $0.get() }
        #expect(plain == nil)
        // a document without a key is refused and leaves the running listener alone
        var broken = config
        broken.generation = 2
        broken.listeners[0].tls?.privateKeyPem = nil
        await #expect(throws: EngineError.self) { try await engine.apply(broken) }
        #expect(await engine.config?.generation == 1)
        #expect(try await withConnection(port: port, tls: tls) { try await $0.get() }?.firstLine == "a")
        await engine.shutdown()
        try await a.stop()
    }

    @Test("HTTPS and TLS-HELLO monitors speak TLS to members")
    func tlsMonitors() async throws {
        let pem = try await Self.makeCertificates()
        let server = try NIOSSLContext(
            configuration: .makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(pem.chain.utf8)).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(pem.key.utf8), format: .pem))))
        let secure = try await TestBackend.start("secure", tls: server)
        let plain = try await TestBackend.start("plain")
        var config = EngineFixture.config(
            members: [EngineFixture.member(secure), EngineFixture.member(plain)],
            monitor: HealthMonitorConfig(
                type: .https, delay: 1, timeout: 20, maxRetries: 1, maxRetriesDown: 1, urlPath: "/health"))
        config.pools.append(
            PoolConfig(
                id: "p2", protocol: .https, members: [EngineFixture.member(secure), EngineFixture.member(plain)],
                healthMonitor: HealthMonitorConfig(
                    type: .tlsHello, delay: 1, timeout: 20, maxRetries: 1, maxRetriesDown: 1)))
        let (engine, _) = try await EngineFixture.start(config)
        #expect(
            try await EngineFixture.eventually {
                let health = await engine.health().members
                return health["p1"] == ["secure": "UP", "plain": "DOWN"]
                    && health["p2"] == ["secure": "UP", "plain": "DOWN"]
            })
        secure.healthStatus.store(500, ordering: .relaxed)
        #expect(try await EngineFixture.eventually { await engine.health().members["p1"]?["secure"] == "DOWN" })
        #expect(await engine.health().members["p2"]?["secure"] == "UP")
        await engine.shutdown()
        try await secure.stop()
        try await plain.stop()
    }

    @Test("client_authentication MANDATORY refuses clients without a certificate from client_ca")
    func mandatoryClientAuthentication() async throws {
        let pem = try await Self.makeCertificates()
        let a = try await TestBackend.start("a")
        var config = EngineFixture.config(members: [EngineFixture.member(a)])
        config.listeners[0].protocol = .terminatedHTTPS
        config.listeners[0].tls = TLSMaterial(
            certificateRefs: ["ref"], certificateChainPem: pem.chain, privateKeyPem: pem.key, clientCaPem: pem.ca,
            clientAuthentication: "MANDATORY")
        let (engine, port) = try await EngineFixture.start(config)
        var client = TLSConfiguration.makeClientConfiguration()
        client.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.ca.utf8)))
        client.certificateVerification = .noHostnameVerification
        let anonymous = try NIOSSLContext(configuration: client)
        #expect((try? await withConnection(port: port, tls: anonymous) { try await $0.get() }) == nil)
        client.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(pem.user.utf8)).map { .certificate($0) }
        client.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(pem.userKey.utf8), format: .pem))
        let user = try NIOSSLContext(configuration: client)
        #expect(try await withConnection(port: port, tls: user) { try await $0.get() }?.firstLine == "a")
        await engine.shutdown()
        try await a.stop()
    }

    @Test("SSL_* L7 rules see the client certificate: none → 403, CN=user → its own pool, OPTIONAL authentication")
    func sslRules() async throws {
        let pem = try await Self.makeCertificates()
        let a = try await TestBackend.start("a")
        let b = try await TestBackend.start("b")
        var config = EngineFixture.config(members: [EngineFixture.member(a)])
        config.pools.append(PoolConfig(id: "p2", protocol: .http, members: [EngineFixture.member(b)]))
        config.listeners[0].protocol = .terminatedHTTPS
        config.listeners[0].tls = TLSMaterial(
            certificateRefs: ["ref"], certificateChainPem: pem.chain, privateKeyPem: pem.key, clientCaPem: pem.ca,
            clientAuthentication: "OPTIONAL")
        config.listeners[0].l7Policies = [
            L7PolicyConfig(
                id: "anonymous", action: .reject, position: 1,
                rules: [
                    L7RuleConfig(id: "r1", type: .sslConnHasCert, compareType: .equalTo, value: "True", invert: true)
                ]),
            L7PolicyConfig(
                id: "users", action: .redirectToPool, position: 2, redirectPoolId: "p2",
                rules: [
                    L7RuleConfig(id: "r2", type: .sslDNField, compareType: .equalTo, key: "CN", value: "user"),
                    L7RuleConfig(id: "r3", type: .sslVerifyResult, compareType: .equalTo, value: "0"),
                ]),
        ]
        let (engine, port) = try await EngineFixture.start(config)
        var client = TLSConfiguration.makeClientConfiguration()
        client.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.ca.utf8)))
        client.certificateVerification = .noHostnameVerification
        let anonymous = try NIOSSLContext(configuration: client)
        let refused = try await withConnection(port: port, tls: anonymous) { try await $0.get() }
        #expect(refused?.status == 403)
        client.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(pem.user.utf8)).map { .certificate($0) }
        client.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(pem.userKey.utf8), format: .pem))
        let user = try NIOSSLContext(configuration: client)
        let answers = try await withConnection(port: port, tls: user) { conn in
            [try await conn.get(), try await conn.get()]
        }
        #expect(answers.map { $0?.firstLine } == ["b", "b"])
        #expect(a.requests.load(ordering: .relaxed) == 0)
        await engine.shutdown()
        try await a.stop()
        try await b.stop()
    }
}
