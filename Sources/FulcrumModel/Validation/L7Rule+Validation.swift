import Foundation

extension L7Rule {
    /// Octavia's L7 rule limits (reference §1.7).
    public enum Limits {
        /// Longest `key` and `value`.
        public static let maxLength = 255
    }

    /// Checks `validate.l7rule_data` (reference §1.7); throws the first broken rule.
    public func validate() throws(ValidationError) {
        try FieldRules.tags(tags)
        try FieldRules.length(key, field: "key", max: Limits.maxLength)
        try FieldRules.length(value, field: "value", max: Limits.maxLength)
        if value.isEmpty {
            throw ValidationError(field: "value", "Value: ''. Value must not be empty")
        }
        if value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
            throw ValidationError(field: "value", "Invalid L7 Rule: value must not contain CR or LF characters")
        }
        try validateType()
        if compareType == .regex, !Self.compiles(value) {
            throw ValidationError(field: "value", "Invalid L7 Rule: '\(value)' is not a valid regular expression")
        }
    }

    private func validateType() throws(ValidationError) {
        switch type {
        case .header, .cookie:
            guard let key, !key.isEmpty else {
                throw ValidationError(
                    field: "key",
                    "Invalid L7 Rule: key must be specified for \(type == .header ? "header" : "cookie") match"
                )
            }
            guard Self.isToken(key) else {
                throw ValidationError(field: "key", "Invalid L7 Rule: invalid key")
            }
        case .fileType:
            guard compareType == .regex || compareType == .equalTo else {
                throw ValidationError(
                    field: "compare_type",
                    "Invalid L7 Rule: invalid comparison type for file type rule"
                )
            }
        case .sslConnHasCert:
            try checkNoKey()
            guard value.lowercased() == "true" else {
                throw ValidationError(field: "value", "L7rule value \(value) is not a boolean True string.")
            }
            try checkEqualTo()
        case .sslVerifyResult:
            try checkNoKey()
            guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), Int(value) != nil else {
                throw ValidationError(field: "value", "L7rule type \(type.rawValue) needs a int value, which is >= 0")
            }
            try checkEqualTo()
        case .sslDNField:
            guard let key, Self.isDistinguishedNameField(key) else {
                throw ValidationError(field: "key", "Invalid L7rule distinguished name field.")
            }
        case .hostName, .path:
            break
        }
    }

    private func checkNoKey() throws(ValidationError) {
        if key != nil {
            throw ValidationError(field: "key", "L7rule type \(type.rawValue) does not use the \"key\" field.")
        }
    }

    private func checkEqualTo() throws(ValidationError) {
        if compareType != .equalTo {
            throw ValidationError(
                field: "compare_type",
                "L7rule type \(type.rawValue) only supports the EQUAL_TO compare type."
            )
        }
    }

    /// Characters of an HTTP token (RFC 7230 `tchar`), Octavia's header/cookie name charset.
    static let tokenCharacters = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// Whether `text` is a non-empty HTTP token.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { tokenCharacters.contains($0) }
    }

    /// Whether `key` matches `^([a-zA-Z][A-Za-z0-9-]*)$`.
    static func isDistinguishedNameField(_ key: String) -> Bool {
        guard let first = key.first, first.isASCII, first.isLetter else { return false }
        return key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    /// Whether `pattern` compiles as a regular expression (ICU, close to haproxy's PCRE).
    static func compiles(_ pattern: String) -> Bool {
        (try? NSRegularExpression(pattern: pattern)) != nil
    }
}
