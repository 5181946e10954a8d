import FulcrumModel
import Testing

@Suite("L7 policy validation (reference §1.6)")
struct L7PolicyValidationTests {
    static let cases: [EditCase<L7Policy>] = [
        .valid("REJECT") { $0.action = .reject },
        .invalid("name of 256", field: "name") { $0.name = Fixtures.long256 },
        .invalid("description of 256", field: "description") { $0.description = Fixtures.long256 },
        .invalid("tag of 256", field: "tags") { $0.tags = [Fixtures.long256] },
        .invalid("REJECT with a pool", field: "redirect_pool_id") { $0.redirectPoolID = "pool1" },
        .valid("REDIRECT_TO_POOL") {
            $0.action = .redirectToPool
            $0.redirectPoolID = "pool1"
        },
        .invalid("REDIRECT_TO_POOL without pool", field: "redirect_pool_id") { $0.action = .redirectToPool },
        .invalid("REDIRECT_TO_POOL with url", field: "redirect_url") {
            $0.action = .redirectToPool
            $0.redirectPoolID = "pool1"
            $0.redirectURL = "http://example.com"
        },
        .invalid("REDIRECT_TO_POOL with prefix", field: "redirect_prefix") {
            $0.action = .redirectToPool
            $0.redirectPoolID = "pool1"
            $0.redirectPrefix = "https://example.com"
        },
        .invalid("REDIRECT_TO_POOL with http code", field: "redirect_http_code") {
            $0.action = .redirectToPool
            $0.redirectPoolID = "pool1"
            $0.redirectHTTPCode = 301
        },
        .valid("REDIRECT_TO_URL") {
            $0.action = .redirectToURL
            $0.redirectURL = "https://example.com/new?x=1"
            $0.redirectHTTPCode = 308
        },
        .invalid("REDIRECT_TO_URL without url", field: "redirect_url") { $0.action = .redirectToURL },
        .invalid("REDIRECT_TO_URL with pool", field: "redirect_pool_id") {
            $0.action = .redirectToURL
            $0.redirectURL = "https://example.com"
            $0.redirectPoolID = "pool1"
        },
        .invalid("REDIRECT_TO_URL with ftp", field: "redirect_url") {
            $0.action = .redirectToURL
            $0.redirectURL = "ftp://example.com"
        },
        .invalid("REDIRECT_TO_URL not a URL", field: "redirect_url") {
            $0.action = .redirectToURL
            $0.redirectURL = "example.com"
        },
        .valid("REDIRECT_PREFIX") {
            $0.action = .redirectPrefix
            $0.redirectPrefix = "http://example.com"
        },
        .invalid("REDIRECT_PREFIX without prefix", field: "redirect_prefix") { $0.action = .redirectPrefix },
        .invalid("REDIRECT_PREFIX with javascript", field: "redirect_prefix") {
            $0.action = .redirectPrefix
            $0.redirectPrefix = "javascript:alert(1)"
        },
        .invalid("REDIRECT_PREFIX with http code 200", field: "redirect_http_code") {
            $0.action = .redirectPrefix
            $0.redirectPrefix = "http://example.com"
            $0.redirectHTTPCode = 200
        },
        .invalid("REJECT with http code", field: "redirect_http_code") { $0.redirectHTTPCode = 302 },
        .valid("position 1") { $0.position = 1 },
        .valid("position max") { $0.position = 2_147_483_647 },
        .invalid("position 0", field: "position") { $0.position = 0 },
        .invalid("position too big", field: "position") { $0.position = 2_147_483_648 },
    ]

    @Test("policy fields", arguments: cases)
    func policy(_ testCase: EditCase<L7Policy>) {
        let policy = testCase.applied(to: Fixtures.policy())
        expectValidation(field: testCase.field) { () throws(ValidationError) in try policy.validate() }
    }

    @Test("every documented redirect code is accepted", arguments: [301, 302, 303, 307, 308])
    func redirectCodes(_ code: Int) throws {
        var policy = Fixtures.policy(.redirectToURL)
        policy.redirectURL = "https://example.com"
        policy.redirectHTTPCode = code
        try policy.validate()
    }

    @Test("normalized() keeps only the action's redirect field and defaults the code")
    func normalized() throws {
        var policy = Fixtures.policy(.redirectToURL)
        policy.redirectURL = "https://example.com"
        policy.redirectPoolID = "stale"
        policy.redirectPrefix = "https://stale"
        let fixed = policy.normalized()
        #expect(fixed.redirectPoolID == nil)
        #expect(fixed.redirectPrefix == nil)
        #expect(fixed.redirectURL == "https://example.com")
        #expect(fixed.redirectHTTPCode == 302)
        try fixed.validate()

        var toPool = fixed
        toPool.action = .redirectToPool
        toPool.redirectPoolID = "pool1"
        let pooled = toPool.normalized()
        #expect(pooled.redirectURL == nil)
        #expect(pooled.redirectHTTPCode == nil)
        try pooled.validate()
    }
}
