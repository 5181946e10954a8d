public import FulcrumWire

/// What an HTTP request's L7 policies decide.
public enum L7Decision: Sendable, Hashable {
    /// No policy matched: the listener's default pool.
    case defaultPool
    /// `REDIRECT_TO_POOL`.
    case pool(String)
    /// `REJECT` (403).
    case reject
    /// `REDIRECT_TO_URL` / `REDIRECT_PREFIX`.
    case redirect(location: String, status: Int)
}

/// What the SSL_* rules of a TERMINATED_HTTPS connection look at (HAProxy's `ssl_c_used`, `ssl_c_verify` and
/// `ssl_c_s_dn(FIELD)`, which Octavia's template uses for them).
public struct L7ClientCertificate: Sendable, Hashable {
    /// Whether the client presented a certificate.
    public var presented: Bool
    /// The verification result (0: verified, or no certificate; a certificate that fails verification never gets
    /// this far, the handshake is refused).
    public var verifyResult: Int
    /// The subject's attributes in certificate order, by OpenSSL short name (`CN`, `O`, `OU`, `C`, …).
    public var subject: [Field]

    /// One attribute of the subject.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(presented: Bool, verifyResult: Int = 0, subject: [Field] = []) {
        self.presented = presented
        self.verifyResult = verifyResult
        self.subject = subject
    }

    /// The first subject attribute named `name` (short name, any case), as `ssl_c_s_dn(name)` gives it.
    func field(_ name: String) -> String? {
        let wanted = name.lowercased()
        return subject.first { $0.name.lowercased() == wanted }?.value
    }
}

/// A listener's L7 policies, free of I/O: the first policy (by position) whose rules all match decides.
/// As in Octavia's haproxy template, a policy without rules never matches and REGEX matches anywhere in the value.
/// SSL_* rules look at the client certificate of a TERMINATED_HTTPS connection; on any other connection (no
/// ``L7ClientCertificate``) their fetch fails, so they never match unless inverted (as in HAProxy), except
/// SSL_CONN_HAS_CERT, which is simply false there.
public struct L7Router: Sendable {
    private struct CompiledRule: Sendable {
        var rule: L7RuleConfig
        /// Checked once here; `Regex<AnyRegexOutput>` is not Sendable, so it is rebuilt when evaluated.
        var regexIsValid: Bool
    }

    private let policies: [(policy: L7PolicyConfig, rules: [CompiledRule])]

    /// Prepares the policies (an invalid regex never matches).
    public init(_ policies: [L7PolicyConfig]) {
        self.policies = policies.filter { !$0.rules.isEmpty }.sorted { $0.position < $1.position }.map { policy in
            (
                policy,
                policy.rules.map { rule in
                    CompiledRule(
                        rule: rule, regexIsValid: rule.compareType == .regex && (try? Regex(rule.value)) != nil)
                }
            )
        }
    }

    /// True when there is nothing to evaluate.
    public var isEmpty: Bool { policies.isEmpty }

    /// True when a rule looks at the client certificate (the proxy then reads it once per connection).
    public var usesClientCertificate: Bool {
        policies.contains {
            $0.rules.contains { [.sslConnHasCert, .sslVerifyResult, .sslDNField].contains($0.rule.type) }
        }
    }

    /// The decision for a request; `certificate` is nil unless the connection terminated TLS here.
    public func route(
        uri: String, headers: [(name: String, value: String)], certificate: L7ClientCertificate? = nil
    ) -> L7Decision {
        for (policy, rules) in policies
        where rules.allSatisfy({ matches($0, uri: uri, headers: headers, certificate: certificate) }) {
            switch policy.action {
            case .reject:
                return .reject
            case .redirectToPool:
                if let pool = policy.redirectPoolId { return .pool(pool) }
            case .redirectToURL:
                if let url = policy.redirectUrl {
                    return .redirect(location: url, status: policy.redirectHttpCode ?? 302)
                }
            case .redirectPrefix:
                if let prefix = policy.redirectPrefix {
                    return .redirect(location: prefix + uri, status: policy.redirectHttpCode ?? 302)
                }
            }
        }
        return .defaultPool
    }

    private func matches(
        _ compiled: CompiledRule, uri: String, headers: [(name: String, value: String)],
        certificate: L7ClientCertificate?
    ) -> Bool {
        let rule = compiled.rule
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        let path = String(uri.prefix { $0 != "?" })
        let subject: String?
        switch rule.type {
        case .hostName:
            subject = header("host").map { String($0.prefix { $0 != ":" }).lowercased() }
        case .path:
            subject = path
        case .fileType:
            let last = path.split(separator: "/").last.map(String.init) ?? ""
            subject = last.contains(".") ? String(last.split(separator: ".").last ?? "") : ""
        case .header:
            subject = rule.key.flatMap(header)
        case .cookie:
            subject = rule.key.flatMap { key in
                header("cookie")?.split(separator: ";").lazy.map { $0.trimmingPrefix(" ") }
                    .first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
            }
        case .sslConnHasCert:
            // a boolean: the rule's value ("True") says which answer matches
            let presented = certificate?.presented ?? false
            return (presented == (rule.value.lowercased() == "true")) != rule.invert
        case .sslVerifyResult:
            subject = certificate.map { String($0.verifyResult) }
        case .sslDNField:
            subject = rule.key.flatMap { key in certificate?.field(key) }
        }
        guard let subject else { return rule.invert }
        let value = rule.type == .hostName ? rule.value.lowercased() : rule.value
        let result: Bool
        switch rule.compareType {
        case .regex: result = compiled.regexIsValid && (try? Regex(rule.value)).map { subject.contains($0) } == true
        case .startsWith: result = subject.hasPrefix(value)
        case .endsWith: result = subject.hasSuffix(value)
        case .contains: result = subject.contains(value)
        case .equalTo: result = subject == value
        }
        return result != rule.invert
    }
}
