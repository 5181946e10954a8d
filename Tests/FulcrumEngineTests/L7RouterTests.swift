import FulcrumEngine
import FulcrumWire
import Testing

@Suite("L7 policies (I/O free)")
struct L7RouterTests {
    static func rule(
        _ type: L7RuleConfig.Kind, _ compare: L7RuleConfig.Comparison, _ value: String, key: String? = nil,
        invert: Bool = false
    ) -> L7RuleConfig {
        L7RuleConfig(id: "r", type: type, compareType: compare, key: key, value: value, invert: invert)
    }

    let router = L7Router([
        L7PolicyConfig(
            id: "later", action: .redirectToPool, position: 5, redirectPoolId: "static",
            rules: [rule(.fileType, .equalTo, "png")]),
        L7PolicyConfig(
            id: "api", action: .redirectToPool, position: 1, redirectPoolId: "api",
            rules: [rule(.path, .startsWith, "/api"), rule(.hostName, .equalTo, "Example.com")]),
        L7PolicyConfig(
            id: "deny", action: .reject, position: 2, rules: [rule(.header, .regex, "^curl/[0-9]", key: "User-Agent")]),
        L7PolicyConfig(
            id: "move", action: .redirectPrefix, position: 3, redirectPrefix: "https://new.example",
            redirectHttpCode: 301, rules: [rule(.cookie, .equalTo, "old", key: "site")]),
        L7PolicyConfig(id: "empty", action: .reject, position: 0),
        L7PolicyConfig(
            id: "not-beta", action: .redirectToURL, position: 4, redirectUrl: "https://beta.example/",
            rules: [rule(.header, .contains, "beta", key: "X-Channel", invert: true), rule(.path, .equalTo, "/beta")]),
    ])

    @Test(
        "policies are evaluated by position; all rules of a policy must match",
        arguments: [
            ("/api/v1", [("Host", "example.com:8080")], L7Decision.pool("api")),
            ("/api/v1", [("Host", "other.com")], .defaultPool),
            ("/x", [("User-Agent", "curl/8.1")], .reject),
            ("/x", [("User-Agent", "Mozilla curl/8.1")], .defaultPool),
            (
                "/a/b?q=1", [("Cookie", "a=1; site=old")],
                .redirect(location: "https://new.example/a/b?q=1", status: 301)
            ),
            ("/img/logo.png?v=2", [], .pool("static")),
            ("/beta", [], .redirect(location: "https://beta.example/", status: 302)),
            ("/beta", [("X-Channel", "beta-users")], .defaultPool),
        ] as [(String, [(String, String)], L7Decision)])
    func routing(uri: String, headers: [(String, String)], expected: L7Decision) {
        #expect(router.route(uri: uri, headers: headers.map { (name: $0.0, value: $0.1) }) == expected)
    }

    @Test("an invalid regex never matches; SSL rules never match without TLS termination")
    func invalid() {
        let router = L7Router([
            L7PolicyConfig(id: "bad", action: .reject, position: 1, rules: [Self.rule(.path, .regex, "(")]),
            L7PolicyConfig(
                id: "ssl", action: .reject, position: 2, rules: [Self.rule(.sslConnHasCert, .equalTo, "true")]),
        ])
        #expect(router.route(uri: "/(", headers: []) == .defaultPool)
    }

    @Test("SSL rules look at the client certificate of a TERMINATED_HTTPS connection (HAProxy's ssl_c_* fetches)")
    func sslRules() {
        let router = L7Router([
            L7PolicyConfig(
                id: "anonymous", action: .reject, position: 1,
                rules: [Self.rule(.sslConnHasCert, .equalTo, "True", invert: true)]),
            L7PolicyConfig(
                id: "ops", action: .redirectToPool, position: 2, redirectPoolId: "ops",
                rules: [Self.rule(.sslDNField, .equalTo, "ops", key: "ou"), Self.rule(.sslVerifyResult, .equalTo, "0")]
            ),
            L7PolicyConfig(
                id: "guests", action: .redirectToPool, position: 3, redirectPoolId: "guests",
                rules: [Self.rule(.sslDNField, .endsWith, ".example.com", key: "CN", invert: true)]),
        ])
        #expect(router.usesClientCertificate)
        #expect(!L7Router([]).usesClientCertificate)
        func subject(_ fields: (String, String)...) -> L7ClientCertificate {
            L7ClientCertificate(presented: true, subject: fields.map { .init(name: $0.0, value: $0.1) })
        }
        let ops = subject(("C", "NL"), ("OU", "ops"), ("CN", "alice.example.com"))
        #expect(router.route(uri: "/", headers: [], certificate: L7ClientCertificate(presented: false)) == .reject)
        #expect(router.route(uri: "/", headers: [], certificate: ops) == .pool("ops"))
        var failed = ops
        failed.verifyResult = 10
        #expect(router.route(uri: "/", headers: [], certificate: failed) == .defaultPool)
        #expect(router.route(uri: "/", headers: [], certificate: subject(("CN", "bob.example.com"))) == .defaultPool)
        #expect(router.route(uri: "/", headers: [], certificate: subject(("CN", "eve"))) == .pool("guests"))
        // A DN field the certificate lacks fetches nothing: only an inverted rule matches.
        #expect(router.route(uri: "/", headers: [], certificate: subject(("O", "x"))) == .pool("guests"))
        // Without TLS termination there is no certificate: SSL_CONN_HAS_CERT is false, so its inverted rule matches.
        #expect(router.route(uri: "/", headers: []) == .reject)
    }
}
