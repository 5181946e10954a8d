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

/// A listener's L7 policies, free of I/O: the first policy (by position) whose rules all match decides.
/// As in Octavia's haproxy template, a policy without rules never matches and REGEX matches anywhere in the value;
/// SSL_* rules never match on a listener that does not terminate TLS.
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

    /// The decision for a request.
    public func route(uri: String, headers: [(name: String, value: String)]) -> L7Decision {
        for (policy, rules) in policies where rules.allSatisfy({ matches($0, uri: uri, headers: headers) }) {
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

    private func matches(_ compiled: CompiledRule, uri: String, headers: [(name: String, value: String)]) -> Bool {
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
        case .sslConnHasCert, .sslVerifyResult, .sslDNField:
            subject = nil
        }
        guard let subject else { return rule.invert && rule.type != .sslConnHasCert }
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
