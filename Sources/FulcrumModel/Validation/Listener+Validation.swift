extension Listener {
    /// Octavia's listener limits (reference §1.2).
    public enum Limits {
        /// Valid range of every listener timeout, in milliseconds (24 days).
        public static let timeoutRange = 0...2_073_600_000
        /// Smallest `connection_limit`; -1 means "amphora default".
        public static let minConnectionLimit = -1
        /// Headers any HTTP or TERMINATED_HTTPS listener may insert.
        public static let httpHeaders: Set<String> = [
            "X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto",
            "X-Forwarded-IP", "X-Client-IP", "X-Real-IP",
        ]
        /// Headers only a TERMINATED_HTTPS listener may insert.
        public static let sslHeaders: Set<String> = [
            "X-SSL-Client-Verify", "X-SSL-Client-Has-Cert", "X-SSL-Client-DN",
            "X-SSL-Client-CN", "X-SSL-Issuer", "X-SSL-Client-SHA1",
            "X-SSL-Client-Not-Before", "X-SSL-Client-Not-After",
        ]
        /// Longest insert-header value.
        public static let maxHeaderValueLength = 255
    }

    /// Checks every rule of reference §1.2 that needs only this listener; throws the first
    /// broken one.
    public func validate() throws(ValidationError) {
        try FieldRules.length(name, field: "name")
        try FieldRules.length(description, field: "description")
        try FieldRules.tags(tags)
        try FieldRules.port(protocolPort, field: "protocol_port")
        if connectionLimit < Limits.minConnectionLimit {
            throw ValidationError(
                field: "connection_limit",
                "Value: '\(connectionLimit)'. Value should be greater or equal to \(Limits.minConnectionLimit)"
            )
        }
        try FieldRules.range(timeoutClientData, Limits.timeoutRange, field: "timeout_client_data")
        try FieldRules.range(timeoutMemberConnect, Limits.timeoutRange, field: "timeout_member_connect")
        try FieldRules.range(timeoutMemberData, Limits.timeoutRange, field: "timeout_member_data")
        try FieldRules.range(timeoutTCPInspect, Limits.timeoutRange, field: "timeout_tcp_inspect")
        if self.protocol == .prometheus, defaultPoolID != nil {
            throw ValidationError(field: "default_pool_id", "PROMETHEUS listeners do not take pools.")
        }
        try validateInsertHeaders()
        try validateAllowedCIDRs()
        try validateTLS()
    }

    /// `insert_headers`: HTTP/TERMINATED_HTTPS only, known keys, values ≤255.
    private func validateInsertHeaders() throws(ValidationError) {
        guard !insertHeaders.isEmpty else { return }
        guard self.protocol.supportsHeaderInsertion else {
            throw ValidationError(
                field: "insert_headers",
                "insert-headers is not a valid option for a \(self.protocol.rawValue) protocol listener."
            )
        }
        var allowed = Limits.httpHeaders
        if self.protocol == .terminatedHTTPS { allowed.formUnion(Limits.sslHeaders) }
        let unknown = insertHeaders.keys.filter { !allowed.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw ValidationError(
                field: "insert_headers",
                "\(unknown) is not a valid option for \(self.protocol.rawValue) protocol listener."
            )
        }
        for (key, value) in insertHeaders where value.count > Limits.maxHeaderValueLength {
            throw ValidationError(
                field: "insert_headers",
                "Value of header \(key) should have a maximum character requirement of \(Limits.maxHeaderValueLength)"
            )
        }
    }

    /// `allowed_cidrs`: each entry must parse as a CIDR.
    private func validateAllowedCIDRs() throws(ValidationError) {
        for cidr in allowedCIDRs where !IPAddressText.isCIDR(cidr) {
            throw ValidationError(field: "allowed_cidrs", "Value: '\(cidr)'. \(cidr) is not a valid CIDR")
        }
    }

    /// Whether any certificate container reference is set.
    var hasTLSRefs: Bool {
        defaultTLSContainerRef != nil || !sniContainerRefs.isEmpty
            || clientCATLSContainerRef != nil || clientCRLContainerRef != nil
    }

    /// TLS references (TERMINATED_HTTPS, or PROMETHEUS with TLS), client authentication and HSTS.
    private func validateTLS() throws(ValidationError) {
        if self.protocol == .udp || self.protocol == .sctp, hasTLSRefs || clientAuthentication != .none {
            throw ValidationError(
                field: tlsRefField,
                "\(self.protocol.rawValue) protocol listener does not support TLS or header insertion."
            )
        }
        if hasTLSRefs, self.protocol != .terminatedHTTPS, self.protocol != .prometheus {
            throw ValidationError(
                field: tlsRefField,
                "Certificate container references are only allowed on TERMINATED_HTTPS protocol listeners."
            )
        }
        if self.protocol == .terminatedHTTPS, defaultTLSContainerRef == nil, sniContainerRefs.isEmpty {
            throw ValidationError(
                field: "default_tls_container_ref",
                "An SNI or default certificate container reference must be provided for TERMINATED_HTTPS protocol listeners."
            )
        }
        if clientAuthentication != .none, clientCATLSContainerRef == nil {
            throw ValidationError(
                field: "client_authentication",
                "Client authentication setting \(clientAuthentication.rawValue) requires a client CA container reference."
            )
        }
        if clientCRLContainerRef != nil, clientCATLSContainerRef == nil {
            throw ValidationError(
                field: "client_crl_container_ref",
                "A client authentication CA reference is required to specify a client authentication revocation list."
            )
        }
        try FieldRules.tlsOptions(ciphers: tlsCiphers, versions: tlsVersions, alpn: alpnProtocols)
        try validateHSTS()
    }

    /// The first TLS field that is set, for error attribution.
    private var tlsRefField: String {
        if defaultTLSContainerRef != nil { return "default_tls_container_ref" }
        if !sniContainerRefs.isEmpty { return "sni_container_refs" }
        if clientCATLSContainerRef != nil { return "client_ca_tls_container_ref" }
        if clientCRLContainerRef != nil { return "client_crl_container_ref" }
        return "client_authentication"
    }

    /// HSTS: TERMINATED_HTTPS only, max_age ≥ 0, the flags need a max_age.
    private func validateHSTS() throws(ValidationError) {
        let usesHSTS = hstsMaxAge != nil || hstsIncludeSubdomains || hstsPreload
        guard usesHSTS else { return }
        if self.protocol != .terminatedHTTPS {
            throw ValidationError(
                field: "hsts_max_age",
                "The HSTS feature can only be used in combination with TERMINATED_HTTPS listeners."
            )
        }
        try FieldRules.range(hstsMaxAge, 0...Int.max, field: "hsts_max_age")
        if hstsMaxAge == nil {
            throw ValidationError(
                field: hstsIncludeSubdomains ? "hsts_include_subdomains" : "hsts_preload",
                "HSTS configuration options hsts_include_subdomains and hsts_preload only make sense if hsts_max_age is set as well."
            )
        }
    }
}
