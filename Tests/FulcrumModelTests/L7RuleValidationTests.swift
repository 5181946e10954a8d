import FulcrumModel
import Testing

@Suite("L7 rule validation (reference §1.7)")
struct L7RuleValidationTests {
    static let cases: [EditCase<L7Rule>] = [
        .valid("PATH STARTS_WITH") { _ in },
        .invalid("tag of 256", field: "tags") { $0.tags = [Fixtures.long256] },
        .valid("value of 255") { $0.value = Fixtures.long255 },
        .invalid("value of 256", field: "value") { $0.value = Fixtures.long256 },
        .invalid("empty value", field: "value") { $0.value = "" },
        .invalid("value with LF", field: "value") { $0.value = "/a\nb" },
        .invalid("value with CR", field: "value") { $0.value = "/a\rb" },
        .invalid("value with CRLF", field: "value") { $0.value = "/a\r\nb" },
        .invalid("key of 256", field: "key") {
            $0.type = .header
            $0.key = Fixtures.long256
        },
        .valid("HOST_NAME EQUAL_TO") {
            $0.type = .hostName
            $0.compareType = .equalTo
            $0.value = "www.example.com"
        },
        .valid("PATH REGEX") {
            $0.compareType = .regex
            $0.value = "^/api/v[0-9]+/"
        },
        .invalid("PATH REGEX that does not compile", field: "value") {
            $0.compareType = .regex
            $0.value = "^/api/(v1"
        },
        .valid("HEADER with key") {
            $0.type = .header
            $0.key = "X-Tenant"
            $0.value = "blue"
        },
        .invalid("HEADER without key", field: "key") { $0.type = .header },
        .invalid("HEADER with spaced key", field: "key") {
            $0.type = .header
            $0.key = "X Tenant"
        },
        .invalid("HEADER with colon in key", field: "key") {
            $0.type = .header
            $0.key = "X-Tenant:"
        },
        .valid("COOKIE with key") {
            $0.type = .cookie
            $0.key = "session"
        },
        .invalid("COOKIE without key", field: "key") { $0.type = .cookie },
        .valid("FILE_TYPE EQUAL_TO") {
            $0.type = .fileType
            $0.compareType = .equalTo
            $0.value = "jpg"
        },
        .valid("FILE_TYPE REGEX") {
            $0.type = .fileType
            $0.compareType = .regex
            $0.value = "jpe?g"
        },
        .invalid("FILE_TYPE STARTS_WITH", field: "compare_type") { $0.type = .fileType },
        .invalid("FILE_TYPE CONTAINS", field: "compare_type") {
            $0.type = .fileType
            $0.compareType = .contains
        },
        .valid("SSL_CONN_HAS_CERT true") { $0.sslRule(.sslConnHasCert, "true") },
        .valid("SSL_CONN_HAS_CERT True") { $0.sslRule(.sslConnHasCert, "True") },
        .invalid("SSL_CONN_HAS_CERT false", field: "value") { $0.sslRule(.sslConnHasCert, "false") },
        .invalid("SSL_CONN_HAS_CERT with key", field: "key") {
            $0.sslRule(.sslConnHasCert, "true")
            $0.key = "k"
        },
        .invalid("SSL_CONN_HAS_CERT STARTS_WITH", field: "compare_type") {
            $0.sslRule(.sslConnHasCert, "true")
            $0.compareType = .startsWith
        },
        .valid("SSL_VERIFY_RESULT 0") { $0.sslRule(.sslVerifyResult, "0") },
        .valid("SSL_VERIFY_RESULT 21") { $0.sslRule(.sslVerifyResult, "21") },
        .invalid("SSL_VERIFY_RESULT negative", field: "value") { $0.sslRule(.sslVerifyResult, "-1") },
        .invalid("SSL_VERIFY_RESULT word", field: "value") { $0.sslRule(.sslVerifyResult, "ok") },
        .invalid("SSL_VERIFY_RESULT with key", field: "key") {
            $0.sslRule(.sslVerifyResult, "0")
            $0.key = "k"
        },
        .invalid("SSL_VERIFY_RESULT REGEX", field: "compare_type") {
            $0.sslRule(.sslVerifyResult, "0")
            $0.compareType = .regex
        },
        .valid("SSL_DN_FIELD CN") {
            $0.type = .sslDNField
            $0.key = "CN"
            $0.value = "client"
        },
        .valid("SSL_DN_FIELD with dash") {
            $0.type = .sslDNField
            $0.key = "Serial-Number2"
            $0.value = "1"
        },
        .invalid("SSL_DN_FIELD without key", field: "key") { $0.type = .sslDNField },
        .invalid("SSL_DN_FIELD key starting with digit", field: "key") {
            $0.type = .sslDNField
            $0.key = "1CN"
        },
        .invalid("SSL_DN_FIELD key with underscore", field: "key") {
            $0.type = .sslDNField
            $0.key = "C_N"
        },
        .invalid("SSL_DN_FIELD bad regex", field: "value") {
            $0.type = .sslDNField
            $0.key = "CN"
            $0.compareType = .regex
            $0.value = "[a-"
        },
    ]

    @Test("rule fields", arguments: cases)
    func rule(_ testCase: EditCase<L7Rule>) {
        let rule = testCase.applied(to: Fixtures.rule())
        expectValidation(field: testCase.field) { () throws(ValidationError) in try rule.validate() }
    }
}

extension L7Rule {
    /// Turns the rule into a key-less EQUAL_TO rule of `type` with `value`.
    fileprivate mutating func sslRule(_ type: L7RuleType, _ value: String) {
        self.type = type
        self.compareType = .equalTo
        self.key = nil
        self.value = value
    }
}
