import FulcrumModel
import Testing

@Suite("Health monitor validation (reference §1.5)")
struct HealthMonitorValidationTests {
    static let httpCases: [EditCase<HealthMonitor>] = [
        .valid("defaults") { _ in },
        .invalid("name of 256", field: "name") { $0.name = Fixtures.long256 },
        .invalid("tag of 256", field: "tags") { $0.tags = [Fixtures.long256] },
        .valid("delay and timeout 0") {
            $0.delay = 0
            $0.timeout = 0
        },
        .valid("timeout larger than delay") { $0.timeout = 100 },
        .invalid("negative delay", field: "delay") { $0.delay = -1 },
        .invalid("negative timeout", field: "timeout") { $0.timeout = -1 },
        .valid("max_retries 1 and 10") {
            $0.maxRetries = 1
            $0.maxRetriesDown = 10
        },
        .invalid("max_retries 0", field: "max_retries") { $0.maxRetries = 0 },
        .invalid("max_retries 11", field: "max_retries") { $0.maxRetries = 11 },
        .invalid("max_retries_down 0", field: "max_retries_down") { $0.maxRetriesDown = 0 },
        .invalid("max_retries_down 11", field: "max_retries_down") { $0.maxRetriesDown = 11 },
        .valid("url_path with query") { $0.urlPath = "/health?full=1" },
        .invalid("url_path without slash", field: "url_path") { $0.urlPath = "health" },
        .valid("expected code list") { $0.expectedCodes = "200, 202,204" },
        .valid("expected code range") { $0.expectedCodes = "200-299" },
        .invalid("expected code of 2 digits", field: "expected_codes") { $0.expectedCodes = "20" },
        .invalid("expected code trailing comma", field: "expected_codes") { $0.expectedCodes = "200," },
        .invalid("expected code mixed list and range", field: "expected_codes") { $0.expectedCodes = "200,201-204" },
        .invalid("expected code words", field: "expected_codes") { $0.expectedCodes = "ok" },
        .valid("http_version 1.0") { $0.httpVersion = 1.0 },
        .valid("http_version 1.1 with domain") {
            $0.httpVersion = 1.1
            $0.domainName = "example.com"
        },
        .invalid("http_version 2", field: "http_version") { $0.httpVersion = 2.0 },
        .invalid("domain without http_version", field: "domain_name") { $0.domainName = "example.com" },
        .invalid("domain with http_version 1.0", field: "domain_name") {
            $0.httpVersion = 1.0
            $0.domainName = "example.com"
        },
        .invalid("empty domain", field: "domain_name") {
            $0.httpVersion = 1.1
            $0.domainName = ""
        },
        .invalid("domain of 256", field: "domain_name") {
            $0.httpVersion = 1.1
            $0.domainName = Fixtures.long256
        },
        .valid("HEAD method") { $0.httpMethod = .head },
    ]

    @Test("HTTP monitor fields", arguments: [HealthMonitorType.http, .https], httpCases)
    func httpMonitor(_ type: HealthMonitorType, _ testCase: EditCase<HealthMonitor>) {
        let monitor = testCase.applied(to: Fixtures.monitor(type))
        expectValidation(field: testCase.field) { () throws(ValidationError) in try monitor.validate() }
    }

    static let nonHTTPCases: [EditCase<HealthMonitor>] = [
        .valid("no HTTP fields") { _ in },
        .invalid("http_method", field: "http_method") { $0.httpMethod = .get },
        .invalid("url_path", field: "url_path") { $0.urlPath = "/" },
        .invalid("expected_codes", field: "expected_codes") { $0.expectedCodes = "200" },
        .invalid("http_version", field: "http_version") { $0.httpVersion = 1.1 },
        .invalid("domain_name", field: "domain_name") { $0.domainName = "example.com" },
    ]

    @Test(
        "non-HTTP monitors reject HTTP-only fields",
        arguments: [HealthMonitorType.ping, .tcp, .tlsHello, .udpConnect, .sctp], nonHTTPCases)
    func nonHTTPMonitor(_ type: HealthMonitorType, _ testCase: EditCase<HealthMonitor>) {
        let monitor = testCase.applied(to: Fixtures.monitor(type))
        expectValidation(field: testCase.field) { () throws(ValidationError) in try monitor.validate() }
    }

    @Test("HTTP fields default only for HTTP and HTTPS monitors", arguments: HealthMonitorType.allCases)
    func httpDefaults(_ type: HealthMonitorType) {
        let monitor = Fixtures.monitor(type)
        #expect((monitor.urlPath == "/") == type.isHTTP)
        #expect((monitor.expectedCodes == "200") == type.isHTTP)
        #expect((monitor.httpMethod == .get) == type.isHTTP)
    }

    @Test("UDP-CONNECT delay must be at least 3", arguments: [(2, false), (3, true), (10, true)])
    func udpConnectDelay(_ delay: Int, _ valid: Bool) {
        var monitor = Fixtures.monitor(.udpConnect)
        monitor.delay = delay
        expectValidation(field: valid ? nil : "delay") { () throws(ValidationError) in try monitor.validate() }
    }

    @Test("UDP-CONNECT minimum delay is configurable")
    func udpConnectConfigured() throws {
        var monitor = Fixtures.monitor(.udpConnect)
        monitor.delay = 1
        try monitor.validate(udpConnectMinDelay: 1)
        #expect(throws: ValidationError.self) { try monitor.validate(udpConnectMinDelay: 5) }
    }

    @Test(
        "expected codes grammar",
        arguments: [
            ("200", true), ("200,201", true), ("200 , 201", true), ("100-599", true), ("2000", false), ("", false),
            ("200-", false), ("-200", false), ("200-300-400", false), ("２００", false),
        ])
    func expectedCodes(_ codes: String, _ valid: Bool) {
        #expect(HealthMonitor.isValidExpectedCodes(codes) == valid)
    }
}
