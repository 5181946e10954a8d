import FulcrumModel
import Testing

@Suite("Pool validation (reference §1.3)")
struct PoolValidationTests {
    static let httpPoolCases: [EditCase<Pool>] = [
        .valid("defaults") { _ in },
        .invalid("name of 256", field: "name") { $0.name = Fixtures.long256 },
        .invalid("description of 256", field: "description") { $0.description = Fixtures.long256 },
        .invalid("tag of 256", field: "tags") { $0.tags = [Fixtures.long256] },
        .valid("SOURCE_IP persistence") { $0.sessionPersistence = SessionPersistence(type: .sourceIP) },
        .valid("HTTP_COOKIE persistence") { $0.sessionPersistence = SessionPersistence(type: .httpCookie) },
        .valid("APP_COOKIE with cookie") {
            $0.sessionPersistence = SessionPersistence(type: .appCookie, cookieName: "JSESSIONID")
        },
        .invalid("APP_COOKIE without cookie", field: "cookie_name") {
            $0.sessionPersistence = SessionPersistence(type: .appCookie)
        },
        .invalid("APP_COOKIE with empty cookie", field: "cookie_name") {
            $0.sessionPersistence = SessionPersistence(type: .appCookie, cookieName: "")
        },
        .invalid("cookie_name on HTTP_COOKIE", field: "cookie_name") {
            $0.sessionPersistence = SessionPersistence(type: .httpCookie, cookieName: "c")
        },
        .invalid("cookie_name on SOURCE_IP", field: "cookie_name") {
            $0.sessionPersistence = SessionPersistence(type: .sourceIP, cookieName: "c")
        },
        .invalid("cookie with space", field: "cookie_name") {
            $0.sessionPersistence = SessionPersistence(type: .appCookie, cookieName: "a b")
        },
        .invalid("cookie with tab", field: "cookie_name") {
            $0.sessionPersistence = SessionPersistence(type: .appCookie, cookieName: "a\tb")
        },
        .invalid("cookie with comma", field: "cookie_name") {
            $0.sessionPersistence = SessionPersistence(type: .appCookie, cookieName: "a,b")
        },
        .invalid("cookie with semicolon", field: "cookie_name") {
            $0.sessionPersistence = SessionPersistence(type: .appCookie, cookieName: "a;b")
        },
        .invalid("cookie with backslash", field: "cookie_name") {
            $0.sessionPersistence = SessionPersistence(type: .appCookie, cookieName: "a\\b")
        },
        .invalid("cookie of 256", field: "cookie_name") {
            $0.sessionPersistence = SessionPersistence(type: .appCookie, cookieName: Fixtures.long256)
        },
        .invalid("persistence_timeout on HTTP pool", field: "persistence_timeout") {
            $0.sessionPersistence = SessionPersistence(type: .sourceIP, persistenceTimeout: 360)
        },
        .invalid("persistence_granularity on HTTP pool", field: "persistence_granularity") {
            $0.sessionPersistence = SessionPersistence(type: .sourceIP, persistenceGranularity: "255.255.255.0")
        },
        .valid("CRL with CA") {
            $0.caTLSContainerRef = "ca"
            $0.crlContainerRef = "crl"
        },
        .invalid("CRL without CA", field: "crl_container_ref") { $0.crlContainerRef = "crl" },
        .valid("backend TLS options") {
            $0.tlsEnabled = true
            $0.tlsVersions = ["TLSv1.3"]
            $0.alpnProtocols = ["http/1.0"]
        },
        .invalid("unknown TLS version", field: "tls_versions") { $0.tlsVersions = ["TLSv1.4"] },
        .invalid("unknown ALPN", field: "alpn_protocols") { $0.alpnProtocols = ["h3"] },
        .valid("SOURCE_IP_PORT is not a 400") { $0.lbAlgorithm = .sourceIPPort },
    ]

    @Test("HTTP pool fields", arguments: httpPoolCases)
    func httpPool(_ testCase: EditCase<Pool>) {
        let pool = testCase.applied(to: Fixtures.pool(.http))
        expectValidation(field: testCase.field) { () throws(ValidationError) in try pool.validate() }
    }

    static let lvsPoolCases: [EditCase<Pool>] = [
        .valid("no persistence") { _ in },
        .valid("SOURCE_IP with LVS options") {
            $0.sessionPersistence = SessionPersistence(
                type: .sourceIP, persistenceTimeout: 360, persistenceGranularity: "255.255.255.255")
        },
        .valid("SOURCE_IP with IPv6 mask") {
            $0.sessionPersistence = SessionPersistence(type: .sourceIP, persistenceGranularity: "ffff:ffff::")
        },
        .invalid("HTTP_COOKIE", field: "type") { $0.sessionPersistence = SessionPersistence(type: .httpCookie) },
        .invalid("APP_COOKIE", field: "type") {
            $0.sessionPersistence = SessionPersistence(type: .appCookie, cookieName: "c")
        },
        .invalid("negative timeout", field: "persistence_timeout") {
            $0.sessionPersistence = SessionPersistence(type: .sourceIP, persistenceTimeout: -1)
        },
        .invalid("granularity not an address", field: "persistence_granularity") {
            $0.sessionPersistence = SessionPersistence(type: .sourceIP, persistenceGranularity: "/24")
        },
    ]

    @Test("UDP and SCTP pools allow only SOURCE_IP persistence", arguments: [PoolProtocol.udp, .sctp], lvsPoolCases)
    func lvsPool(_ proto: PoolProtocol, _ testCase: EditCase<Pool>) {
        let pool = testCase.applied(to: Fixtures.pool(proto))
        expectValidation(field: testCase.field) { () throws(ValidationError) in try pool.validate() }
    }

    @Test("the amphora provider rejects only SOURCE_IP_PORT, as a 501", arguments: LBAlgorithm.allCases)
    func amphoraProvider(_ algorithm: LBAlgorithm) {
        var pool = Fixtures.pool()
        pool.lbAlgorithm = algorithm
        let unsupported = algorithm == .sourceIPPort
        #expect(Pool.unsupportedByAmphoraProvider(algorithm) == unsupported)
        do {
            try pool.checkAmphoraProviderSupport()
            #expect(!unsupported)
        } catch {
            #expect(unsupported)
            #expect(error.provider == "amphora")
            #expect(error.field == "lb_algorithm")
            #expect(error.description.hasPrefix("Provider 'amphora' does not support a requested option:"))
        }
    }
}
