import FulcrumModel
import Testing

@Suite("Listener validation (reference §1.2)")
struct ListenerValidationTests {
    static let httpCases: [EditCase<Listener>] = [
        .valid("defaults") { _ in },
        .valid("name of 255") { $0.name = Fixtures.long255 },
        .invalid("name of 256", field: "name") { $0.name = Fixtures.long256 },
        .invalid("description of 256", field: "description") { $0.description = Fixtures.long256 },
        .valid("tag of 255") { $0.tags = [Fixtures.long255] },
        .invalid("tag of 256", field: "tags") { $0.tags = ["ok", Fixtures.long256] },
        .valid("port 1") { $0.protocolPort = 1 },
        .valid("port 65535") { $0.protocolPort = 65535 },
        .invalid("port 0", field: "protocol_port") { $0.protocolPort = 0 },
        .invalid("port 65536", field: "protocol_port") { $0.protocolPort = 65536 },
        .valid("connection_limit -1") { $0.connectionLimit = -1 },
        .valid("connection_limit 0") { $0.connectionLimit = 0 },
        .invalid("connection_limit -2", field: "connection_limit") { $0.connectionLimit = -2 },
        .valid("timeouts at 0") {
            $0.timeoutClientData = 0
            $0.timeoutMemberConnect = 0
            $0.timeoutMemberData = 0
            $0.timeoutTCPInspect = 0
        },
        .valid("timeout at max") { $0.timeoutClientData = 2_073_600_000 },
        .invalid("client data negative", field: "timeout_client_data") { $0.timeoutClientData = -1 },
        .invalid("client data too big", field: "timeout_client_data") { $0.timeoutClientData = 2_073_600_001 },
        .invalid("member connect too big", field: "timeout_member_connect") { $0.timeoutMemberConnect = 2_073_600_001 },
        .invalid("member data negative", field: "timeout_member_data") { $0.timeoutMemberData = -5 },
        .invalid("tcp inspect too big", field: "timeout_tcp_inspect") { $0.timeoutTCPInspect = 3_000_000_000 },
        .valid("X-Forwarded-For header") { $0.insertHeaders = ["X-Forwarded-For": "true", "X-Real-IP": "true"] },
        .invalid("unknown header", field: "insert_headers") { $0.insertHeaders = ["X-Bogus": "true"] },
        .invalid("SSL header on HTTP", field: "insert_headers") { $0.insertHeaders = ["X-SSL-Client-DN": "true"] },
        .invalid("header value of 256", field: "insert_headers") {
            $0.insertHeaders = ["X-Forwarded-For": Fixtures.long256]
        },
        .valid("IPv4 and IPv6 CIDRs") {
            $0.allowedCIDRs = ["10.0.0.0/8", "192.168.1.7/32", "2001:db8::/32", "0.0.0.0/0"]
        },
        .invalid("CIDR garbage", field: "allowed_cidrs") { $0.allowedCIDRs = ["10.0.0.0/8", "nope"] },
        .invalid("CIDR prefix too long", field: "allowed_cidrs") { $0.allowedCIDRs = ["10.0.0.0/33"] },
        .invalid("IPv6 prefix too long", field: "allowed_cidrs") { $0.allowedCIDRs = ["::/129"] },
        .invalid("client auth without CA", field: "client_authentication") { $0.clientAuthentication = .optional },
        .invalid("CRL without CA", field: "client_crl_container_ref") { $0.clientCRLContainerRef = "crl" },
        .invalid("default cert on HTTP", field: "default_tls_container_ref") { $0.defaultTLSContainerRef = "cert" },
        .invalid("SNI on HTTP", field: "sni_container_refs") { $0.sniContainerRefs = ["sni"] },
        .invalid("client CA on HTTP", field: "client_ca_tls_container_ref") { $0.clientCATLSContainerRef = "ca" },
        .invalid("HSTS on HTTP", field: "hsts_max_age") { $0.hstsMaxAge = 10 },
        .invalid("unknown TLS version", field: "tls_versions") { $0.tlsVersions = ["TLSv9"] },
        .invalid("unknown ALPN", field: "alpn_protocols") { $0.alpnProtocols = ["spdy"] },
        .invalid("ciphers of 2049", field: "tls_ciphers") { $0.tlsCiphers = String(repeating: "A", count: 2049) },
    ]

    @Test("HTTP listener fields", arguments: httpCases)
    func httpListener(_ testCase: EditCase<Listener>) {
        let listener = testCase.applied(to: Fixtures.listener(.http))
        expectValidation(field: testCase.field) { () throws(ValidationError) in try listener.validate() }
    }

    static let terminatedCases: [EditCase<Listener>] = [
        .valid("default cert") { _ in },
        .valid("SNI only") {
            $0.defaultTLSContainerRef = nil
            $0.sniContainerRefs = ["sni1"]
        },
        .invalid("no cert at all", field: "default_tls_container_ref") { $0.defaultTLSContainerRef = nil },
        .valid("SSL headers allowed") { $0.insertHeaders = ["X-SSL-Client-DN": "true", "X-Forwarded-Proto": "true"] },
        .valid("mandatory client auth with CA") {
            $0.clientAuthentication = .mandatory
            $0.clientCATLSContainerRef = "ca"
        },
        .invalid("mandatory client auth without CA", field: "client_authentication") {
            $0.clientAuthentication = .mandatory
        },
        .valid("CRL with CA") {
            $0.clientCATLSContainerRef = "ca"
            $0.clientCRLContainerRef = "crl"
        },
        .invalid("CRL without CA", field: "client_crl_container_ref") { $0.clientCRLContainerRef = "crl" },
        .valid("HSTS with max_age and flags") {
            $0.hstsMaxAge = 31_536_000
            $0.hstsIncludeSubdomains = true
            $0.hstsPreload = true
        },
        .valid("HSTS max_age 0") { $0.hstsMaxAge = 0 },
        .invalid("HSTS negative max_age", field: "hsts_max_age") { $0.hstsMaxAge = -1 },
        .invalid("include_subdomains without max_age", field: "hsts_include_subdomains") {
            $0.hstsIncludeSubdomains = true
        },
        .invalid("preload without max_age", field: "hsts_preload") { $0.hstsPreload = true },
        .valid("TLS versions and ALPN") {
            $0.tlsVersions = ["TLSv1.2", "TLSv1.3"]
            $0.alpnProtocols = ["h2", "http/1.1"]
        },
    ]

    @Test("TERMINATED_HTTPS listener TLS rules", arguments: terminatedCases)
    func terminatedHTTPS(_ testCase: EditCase<Listener>) {
        let listener = testCase.applied(to: Fixtures.listener(.terminatedHTTPS, port: 443))
        expectValidation(field: testCase.field) { () throws(ValidationError) in try listener.validate() }
    }

    static let l4Cases: [EditCase<Listener>] = [
        .valid("plain") { _ in },
        .invalid("default cert", field: "default_tls_container_ref") { $0.defaultTLSContainerRef = "cert" },
        .invalid("SNI", field: "sni_container_refs") { $0.sniContainerRefs = ["sni"] },
        .invalid("client CA", field: "client_ca_tls_container_ref") { $0.clientCATLSContainerRef = "ca" },
        .invalid("headers", field: "insert_headers") { $0.insertHeaders = ["X-Forwarded-For": "true"] },
    ]

    @Test("UDP and SCTP listeners reject TLS refs and headers", arguments: [ListenerProtocol.udp, .sctp], l4Cases)
    func udpAndSCTP(_ proto: ListenerProtocol, _ testCase: EditCase<Listener>) {
        let listener = testCase.applied(to: Fixtures.listener(proto, port: 53))
        expectValidation(field: testCase.field) { () throws(ValidationError) in try listener.validate() }
    }

    @Test("headers are only for HTTP and TERMINATED_HTTPS", arguments: ListenerProtocol.allCases)
    func headersByProtocol(_ proto: ListenerProtocol) {
        var listener = Fixtures.listener(proto)
        listener.insertHeaders = ["X-Forwarded-For": "true"]
        let allowed = proto == .http || proto == .terminatedHTTPS
        expectValidation(field: allowed ? nil : "insert_headers") { () throws(ValidationError) in
            try listener.validate()
        }
    }

    @Test("certificate refs only on TERMINATED_HTTPS and PROMETHEUS", arguments: ListenerProtocol.allCases)
    func certificateRefsByProtocol(_ proto: ListenerProtocol) {
        var listener = Fixtures.listener(proto)
        listener.defaultTLSContainerRef = "cert"
        let allowed = proto == .terminatedHTTPS || proto == .prometheus
        expectValidation(field: allowed ? nil : "default_tls_container_ref") { () throws(ValidationError) in
            try listener.validate()
        }
    }

    @Test("PROMETHEUS listeners take no default pool")
    func prometheusPool() throws {
        var listener = Fixtures.listener(.prometheus, port: 9100)
        try listener.validate()
        listener.defaultPoolID = "pool1"
        expectValidation(field: "default_pool_id") { () throws(ValidationError) in try listener.validate() }
    }

    @Test("the error description carries Octavia's prefix")
    func errorDescription() {
        var listener = Fixtures.listener()
        listener.protocolPort = 0
        #expect(throws: ValidationError.self) { try listener.validate() }
        do {
            try listener.validate()
        } catch {
            #expect(
                error.description
                    == "Invalid input for field/attribute protocol_port. Value: '0'. Value should be greater or equal to 1"
            )
        }
    }
}
