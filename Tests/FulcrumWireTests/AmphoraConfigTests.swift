import FoundationEssentials
import FulcrumWire
import Testing

@Suite("AmphoraConfig document")
struct AmphoraConfigTests {
    static let sample = AmphoraConfig(
        generation: 7, amphoraId: "amp-1", role: .master, priority: 100, peers: ["10.0.0.12"], vip: "127.0.0.1",
        listeners: [
            ListenerConfig(
                id: "l1", protocol: .http, port: 8080, connectionLimit: 100,
                insertHeaders: ["X-Forwarded-For": "true", "X-Real-IP": "false"], allowedCidrs: ["127.0.0.0/8"],
                defaultPoolId: "p1",
                l7Policies: [
                    L7PolicyConfig(
                        id: "pol", action: .redirectToPool, position: 1, redirectPoolId: "p1",
                        rules: [L7RuleConfig(id: "r", type: .path, compareType: .startsWith, value: "/api")])
                ])
        ],
        pools: [
            PoolConfig(
                id: "p1", protocol: .http, algorithm: .leastConnections,
                sessionPersistence: .init(type: .appCookie, cookieName: "JSESSIONID"),
                members: [MemberConfig(id: "m1", address: "127.0.0.1", port: 8081, weight: 3, monitorPort: 9000)],
                healthMonitor: HealthMonitorConfig(type: .http, delay: 5, timeout: 3, maxRetries: 2, urlPath: "/h"))
        ])

    @Test("round trips through the wire JSON")
    func roundTrip() throws {
        let bytes = try WireJSON.encode(Self.sample)
        #expect(try WireJSON.decode(AmphoraConfig.self, from: bytes) == Self.sample)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""amphora_id":"amp-1""#))
        #expect(text.contains(#""X-Forwarded-For":"true""#))  // dictionary keys untouched
        #expect(text.contains(#""max_retries_down":3"#))
        #expect(text.contains(#""type":"HTTP""#))
    }

    @Test("absent optional fields take Octavia's defaults")
    func defaults() throws {
        let json = #"""
            {"generation": 1, "amphora_id": "a", "vip": "127.0.0.1",
             "listeners": [{"id": "l", "protocol": "TCP", "port": 80}],
             "pools": [{"id": "p", "protocol": "TCP",
                        "members": [{"id": "m", "address": "127.0.0.1", "port": 81}],
                        "health_monitor": {"type": "TCP", "delay": 5, "timeout": 5, "max_retries": 3}}]}
            """#
        let config = try WireJSON.decode(AmphoraConfig.self, from: Array(json.utf8))
        #expect(config.version == AmphoraConfig.currentVersion)
        #expect(config.role == .standalone)
        let listener = try #require(config.listeners.first)
        #expect(listener.connectionLimit == -1)
        #expect(listener.effectiveConnectionLimit == 50_000)
        #expect(listener.timeouts == ListenerTimeouts(clientDataMs: 50_000, memberConnectMs: 5_000))
        let pool = try #require(config.pool(id: "p"))
        #expect(pool.algorithm == .roundRobin)
        #expect(pool.members[0].weight == 1 && !pool.members[0].backup && pool.members[0].adminStateUp)
        let monitor = try #require(pool.healthMonitor)
        #expect(monitor.maxRetriesDown == 3 && monitor.httpMethod == "GET" && monitor.urlPath == "/")
        #expect(monitor.expectedCodes == "200")
    }

    @Test(
        "expected_codes accepts lists and ranges",
        arguments: [
            ("200", 200, true), ("200", 201, false), ("200, 202", 202, true), ("200,202", 201, false),
            ("200-204", 204, true), ("200-204", 205, false),
        ])
    func expectedCodes(spec: String, code: Int, matches: Bool) {
        let monitor = HealthMonitorConfig(type: .http, delay: 1, timeout: 1, maxRetries: 1, expectedCodes: spec)
        #expect(monitor.expects(code) == matches)
    }

    @Test("SNI certificates round trip as sni_certificates, are absent in old documents, follow the default")
    func tlsMaterial() throws {
        let sni = [TLSCertificate(certificateChainPem: "A", privateKeyPem: "a")]
        let material = TLSMaterial(
            certificateRefs: ["d", "s"], certificateChainPem: "D", privateKeyPem: "d", sniCertificates: sni)
        let bytes = try WireJSON.encode(material)
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""sni_certificates":[{"certificate_chain_pem":"A""#))
        #expect(try WireJSON.decode(TLSMaterial.self, from: bytes) == material)
        #expect(material.certificates.map(\.certificateChainPem) == ["D", "A"])
        let old = try WireJSON.decode(
            TLSMaterial.self, from: Array(#"{"certificate_refs": ["d"], "certificate_chain_pem": "D"}"#.utf8))
        #expect(old.sniCertificates == [] && old.clientAuthentication == "NONE")
        #expect(old.certificates == [])  // no key: nothing to serve
        #expect(TLSMaterial(certificateRefs: ["s"], sniCertificates: sni).certificates == sni)
    }

    @Test("insert_headers are enabled only by the string true")
    func insertHeaders() {
        let listener = Self.sample.listeners[0]
        #expect(listener.inserts("x-forwarded-for"))
        #expect(!listener.inserts("X-Real-IP"))
        #expect(!listener.inserts("X-Forwarded-Port"))
    }
}

@Suite("Heartbeat replay guard")
struct HeartbeatReplayGuardTests {
    @Test("seq must grow within a boot; a new boot starts over; amphorae are independent")
    func replay() {
        var guardian = HeartbeatReplayGuard()
        let sequence: [(String, UInt64, String)] = [
            ("a", 5, "b1"), ("a", 5, "b1"), ("a", 4, "b1"), ("a", 6, "b1"), ("a", 0, "b2"), ("b", 1, "b1"),
        ]
        let admitted = sequence.map { guardian.admit(HeartbeatMessage(id: $0.0, seq: $0.1, bootId: $0.2)) }
        #expect(admitted == [true, false, false, true, true, true])
    }
}

@Suite("AmphoraConfig VRRP block")
struct VRRPConfigTests {
    @Test("absent in old documents; defaults for port and timing; snake_case keys; the key is never printed")
    func decoding() throws {
        let old = #"{"generation": 1, "amphora_id": "a", "vip": "10.0.0.100", "role": "MASTER"}"#
        #expect(try WireJSON.decode(AmphoraConfig.self, from: Array(old.utf8)).vrrp == nil)
        let json = #"""
            {"generation": 1, "amphora_id": "a", "vip": "10.0.0.100", "role": "BACKUP", "priority": 90,
             "peers": ["10.0.0.11"],
             "vrrp": {"interface": "eth1", "address": "10.0.0.12", "vip_prefix_length": 24, "auth_key": "s3cret"}}
            """#
        let config = try WireJSON.decode(AmphoraConfig.self, from: Array(json.utf8))
        let vrrp = try #require(config.vrrp)
        #expect(
            vrrp
                == VRRPConfig(
                    interface: "eth1", address: "10.0.0.12", port: 5557, advertIntervalMs: 1000, vipPrefixLength: 24,
                    authKey: "s3cret", garpCount: 3, garpIntervalMs: 500))
        let text = String(decoding: try WireJSON.encode(config), as: UTF8.self)
        #expect(text.contains(#""vrrp":{"address":"10.0.0.12","advert_interval_ms":1000,"auth_key":"s3cret""#))
        #expect(try WireJSON.decode(AmphoraConfig.self, from: Array(text.utf8)) == config)
        #expect(!"\(config)".contains("s3cret"))
        #expect(!String(reflecting: config).contains("s3cret"))
    }
}

@Suite("Agent info body")
struct AgentInfoTests {
    @Test("vrrp_state is omitted for STANDALONE and present for a pair member; old bodies decode")
    func vrrpState() throws {
        let single = AgentInfo(amphoraId: "a", agentVersion: "0.1.0", apiVersion: "v1", generation: 1, bootId: "b")
        #expect(!String(decoding: try WireJSON.encode(single), as: UTF8.self).contains("vrrp_state"))
        var pair = single
        pair.vrrpState = "MASTER"
        let bytes = try WireJSON.encode(pair)
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""vrrp_state":"MASTER""#))
        #expect(try WireJSON.decode(AgentInfo.self, from: bytes) == pair)
        #expect(try WireJSON.decode(AgentInfo.self, from: try WireJSON.encode(single)) == single)
    }

    @Test("ping_method is reported when set and optional when decoding")
    func pingMethod() throws {
        var info = AgentInfo(amphoraId: "a", agentVersion: "0.1.0", apiVersion: "v1", generation: 1, bootId: "b")
        #expect(!String(decoding: try WireJSON.encode(info), as: UTF8.self).contains("ping_method"))
        info.pingMethod = "icmp-raw"
        let bytes = try WireJSON.encode(info)
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""ping_method":"icmp-raw""#))
        #expect(try WireJSON.decode(AgentInfo.self, from: bytes) == info)
    }
}
