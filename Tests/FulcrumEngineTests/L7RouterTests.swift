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
}
