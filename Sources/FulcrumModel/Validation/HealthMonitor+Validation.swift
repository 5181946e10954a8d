extension HealthMonitor {
    /// Octavia's health-monitor limits (reference §1.5).
    public enum Limits {
        /// Valid `max_retries` and `max_retries_down`.
        public static let retriesRange = 1...10
        /// Valid `http_version` values.
        public static let httpVersions: Set<Double> = [1.0, 1.1]
        /// Valid `domain_name` lengths.
        public static let domainNameLength = 1...255
    }

    /// Checks every rule of reference §1.5 that needs only this monitor; throws the first
    /// broken one. `udpConnectMinDelay` mirrors
    /// `[api_settings] udp_connect_min_interval_health_monitor`.
    public func validate(udpConnectMinDelay: Int = Defaults.udpConnectMinDelay) throws(ValidationError) {
        try FieldRules.length(name, field: "name")
        try FieldRules.tags(tags)
        try FieldRules.range(delay, 0...Int.max, field: "delay")
        try FieldRules.range(timeout, 0...Int.max, field: "timeout")
        try FieldRules.range(maxRetries, Limits.retriesRange, field: "max_retries")
        try FieldRules.range(maxRetriesDown, Limits.retriesRange, field: "max_retries_down")
        if type == .udpConnect, delay < udpConnectMinDelay {
            throw ValidationError(
                field: "delay",
                "The request delay value \(delay) should be larger than \(udpConnectMinDelay) for \(type.rawValue) health monitor type."
            )
        }
        if type.isHTTP {
            try validateHTTPFields()
        } else if let field = httpOnlyFieldSet {
            throw ValidationError(
                field: field,
                "\(field) is not a valid option for health monitors of type \(type.rawValue)"
            )
        }
    }

    /// The first HTTP-only field that is set, if any.
    private var httpOnlyFieldSet: String? {
        if httpMethod != nil { return "http_method" }
        if urlPath != nil { return "url_path" }
        if expectedCodes != nil { return "expected_codes" }
        if httpVersion != nil { return "http_version" }
        if domainName != nil { return "domain_name" }
        return nil
    }

    private func validateHTTPFields() throws(ValidationError) {
        if let urlPath, !urlPath.hasPrefix("/") {
            throw ValidationError(field: "url_path", "Value: '\(urlPath)'. URL path must start with a slash.")
        }
        if let expectedCodes, !Self.isValidExpectedCodes(expectedCodes) {
            throw ValidationError(
                field: "expected_codes",
                "Value: '\(expectedCodes)'. Value should match the pattern ^(\\d{3}(\\s*,\\s*\\d{3})*)$|^(\\d{3}-\\d{3})$"
            )
        }
        if let httpVersion, !Limits.httpVersions.contains(httpVersion) {
            throw ValidationError(field: "http_version", "Value: '\(httpVersion)'. Value should be one of 1.0, 1.1")
        }
        if let domainName {
            if !Limits.domainNameLength.contains(domainName.count) {
                throw ValidationError(
                    field: "domain_name",
                    "Value should have a length between \(Limits.domainNameLength.lowerBound) and \(Limits.domainNameLength.upperBound)"
                )
            }
            if httpVersion != 1.1 {
                throw ValidationError(field: "domain_name", "http_version 1.1 is required for domain_name.")
            }
        }
    }

    /// Whether `codes` is a list of 3-digit codes (`200, 202`) or a range (`200-204`).
    public static func isValidExpectedCodes(_ codes: String) -> Bool {
        let list = #/(\d{3}(\s*,\s*\d{3})*)/#
        let range = #/(\d{3}-\d{3})/#
        return codes.wholeMatch(of: list.asciiOnlyDigits()) != nil
            || codes.wholeMatch(of: range.asciiOnlyDigits()) != nil
    }
}
