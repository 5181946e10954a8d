/// An L7 policy of a listener (Octavia `l7policy`).
public struct L7PolicyConfig: Codable, Sendable, Hashable {
    /// What a matching policy does.
    public enum Action: String, Codable, Sendable, Hashable {
        case reject = "REJECT"
        case redirectToURL = "REDIRECT_TO_URL"
        case redirectToPool = "REDIRECT_TO_POOL"
        case redirectPrefix = "REDIRECT_PREFIX"
    }

    /// Policy id.
    public var id: String
    /// Action taken when every rule matches.
    public var action: Action
    /// 1-based evaluation order.
    public var position: Int
    /// Target pool of `REDIRECT_TO_POOL`.
    public var redirectPoolId: String?
    /// Target of `REDIRECT_TO_URL`.
    public var redirectUrl: String?
    /// Target prefix of `REDIRECT_PREFIX`.
    public var redirectPrefix: String?
    /// 301, 302, 303, 307 or 308.
    public var redirectHttpCode: Int?
    /// Rules, all of which must match.
    public var rules: [L7RuleConfig]

    /// Creates a policy.
    public init(
        id: String, action: Action, position: Int, redirectPoolId: String? = nil, redirectUrl: String? = nil,
        redirectPrefix: String? = nil, redirectHttpCode: Int? = nil, rules: [L7RuleConfig] = []
    ) {
        self.id = id
        self.action = action
        self.position = position
        self.redirectPoolId = redirectPoolId
        self.redirectUrl = redirectUrl
        self.redirectPrefix = redirectPrefix
        self.redirectHttpCode = redirectHttpCode
        self.rules = rules
    }
}

/// One rule of an L7 policy (Octavia `l7rule`).
public struct L7RuleConfig: Codable, Sendable, Hashable {
    /// What the rule inspects.
    public enum Kind: String, Codable, Sendable, Hashable {
        case hostName = "HOST_NAME"
        case path = "PATH"
        case fileType = "FILE_TYPE"
        case header = "HEADER"
        case cookie = "COOKIE"
        case sslConnHasCert = "SSL_CONN_HAS_CERT"
        case sslVerifyResult = "SSL_VERIFY_RESULT"
        case sslDNField = "SSL_DN_FIELD"
    }

    /// How the inspected value is compared.
    public enum Comparison: String, Codable, Sendable, Hashable {
        case regex = "REGEX"
        case startsWith = "STARTS_WITH"
        case endsWith = "ENDS_WITH"
        case contains = "CONTAINS"
        case equalTo = "EQUAL_TO"
    }

    /// Rule id.
    public var id: String
    /// What is inspected.
    public var type: Kind
    /// How it is compared.
    public var compareType: Comparison
    /// Header or cookie name, or DN field.
    public var key: String?
    /// The value compared against.
    public var value: String
    /// Negates the result.
    public var invert: Bool

    /// Creates a rule.
    public init(
        id: String, type: Kind, compareType: Comparison, key: String? = nil, value: String, invert: Bool = false
    ) {
        self.id = id
        self.type = type
        self.compareType = compareType
        self.key = key
        self.value = value
        self.invert = invert
    }
}

extension L7PolicyConfig {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case action = "action"
        case position = "position"
        case redirectPoolId = "redirect_pool_id"
        case redirectUrl = "redirect_url"
        case redirectPrefix = "redirect_prefix"
        case redirectHttpCode = "redirect_http_code"
        case rules = "rules"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            action: try c.decode(Action.self, forKey: .action),
            position: try c.decode(Int.self, forKey: .position),
            redirectPoolId: try c.decodeIfPresent(String.self, forKey: .redirectPoolId),
            redirectUrl: try c.decodeIfPresent(String.self, forKey: .redirectUrl),
            redirectPrefix: try c.decodeIfPresent(String.self, forKey: .redirectPrefix),
            redirectHttpCode: try c.decodeIfPresent(Int.self, forKey: .redirectHttpCode),
            rules: try c.decodeIfPresent([L7RuleConfig].self, forKey: .rules) ?? []
        )
    }
}

extension L7RuleConfig {
    enum CodingKeys: String, CodingKey {
        case id = "id"
        case type = "type"
        case compareType = "compare_type"
        case key = "key"
        case value = "value"
        case invert = "invert"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id),
            type: try c.decode(Kind.self, forKey: .type),
            compareType: try c.decode(Comparison.self, forKey: .compareType),
            key: try c.decodeIfPresent(String.self, forKey: .key),
            value: try c.decode(String.self, forKey: .value),
            invert: try c.decodeIfPresent(Bool.self, forKey: .invert) ?? false
        )
    }
}
