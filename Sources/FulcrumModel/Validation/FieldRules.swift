/// Shared single-field checks used by the per-resource `validate()` methods.
///
/// Messages follow Octavia's wsme wording ("Value should be greater or equal to 1") so API
/// clients see familiar text; `ValidationError.description` adds the
/// "Invalid input for field/attribute <field>." prefix.
enum FieldRules {
    /// Octavia's limit on `name` and `description`.
    static let maxNameLength = 255
    /// Octavia's limit on each tag.
    static let maxTagLength = 255
    /// Octavia's limit on `tls_ciphers`.
    static let maxCiphersLength = 2048
    /// TCP/UDP/SCTP port range.
    static let portRange = 1...65535
    /// TLS protocol versions Octavia accepts in `tls_versions`.
    static let tlsVersions: Set<String> = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
    /// ALPN protocols Octavia accepts in `alpn_protocols`.
    static let alpnProtocols: Set<String> = ["h2", "http/1.1", "http/1.0"]

    /// Throws when `value` is longer than `max` characters.
    static func length(_ value: String?, field: String, max: Int = maxNameLength) throws(ValidationError) {
        guard let value, value.count > max else { return }
        throw ValidationError(field: field, "Value should have a maximum character requirement of \(max)")
    }

    /// Throws when any tag is longer than 255 characters.
    static func tags(_ tags: [String]) throws(ValidationError) {
        for tag in tags where tag.count > maxTagLength {
            throw ValidationError(field: "tags", "Value should have a maximum character requirement of \(maxTagLength)")
        }
    }

    /// Throws when `value` lies outside `range`.
    static func range(_ value: Int?, _ range: ClosedRange<Int>, field: String) throws(ValidationError) {
        guard let value else { return }
        if value < range.lowerBound {
            throw ValidationError(
                field: field, "Value: '\(value)'. Value should be greater or equal to \(range.lowerBound)")
        }
        if value > range.upperBound {
            throw ValidationError(
                field: field, "Value: '\(value)'. Value should be lower or equal to \(range.upperBound)")
        }
    }

    /// Throws when `value` is not a port number.
    static func port(_ value: Int?, field: String) throws(ValidationError) {
        try range(value, portRange, field: field)
    }

    /// Throws when `value` is not a textual IPv4 or IPv6 address.
    static func ipAddress(_ value: String?, field: String) throws(ValidationError) {
        guard let value, !IPAddressText.isValid(value) else { return }
        throw ValidationError(field: field, "Value: '\(value)'. Value should be IPv4 or IPv6 format")
    }

    /// Throws when a TLS cipher string, version list or ALPN list breaks Octavia's limits.
    static func tlsOptions(ciphers: String?, versions: [String], alpn: [String]) throws(ValidationError) {
        try length(ciphers, field: "tls_ciphers", max: maxCiphersLength)
        for version in versions where !tlsVersions.contains(version) {
            throw ValidationError(field: "tls_versions", "Invalid TLS version: \(version)")
        }
        for proto in alpn where !alpnProtocols.contains(proto) {
            throw ValidationError(field: "alpn_protocols", "Invalid ALPN protocol: \(proto)")
        }
    }
}
