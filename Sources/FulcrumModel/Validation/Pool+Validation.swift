extension Pool {
    /// Checks every rule of reference §1.3 that needs only this pool; throws the first broken
    /// one. The amphora provider's extra limits are in `checkAmphoraProviderSupport()`.
    public func validate() throws(ValidationError) {
        try FieldRules.length(name, field: "name")
        try FieldRules.length(description, field: "description")
        try FieldRules.tags(tags)
        if let sessionPersistence {
            try sessionPersistence.validate(for: self.protocol)
        }
        if crlContainerRef != nil, caTLSContainerRef == nil {
            throw ValidationError(
                field: "crl_container_ref",
                "A CA reference is required to specify a certificate revocation list."
            )
        }
        try FieldRules.tlsOptions(ciphers: tlsCiphers, versions: tlsVersions, alpn: alpnProtocols)
    }

    /// Load-balancing algorithms the amphora provider does not implement.
    public static let amphoraUnsupportedAlgorithms: Set<LBAlgorithm> = [.sourceIPPort]

    /// Whether the amphora provider cannot serve a pool with `algorithm` (reference §1.3).
    public static func unsupportedByAmphoraProvider(_ algorithm: LBAlgorithm) -> Bool {
        amphoraUnsupportedAlgorithms.contains(algorithm)
    }

    /// Throws the provider's "unsupported option" (HTTP 501, not 400) when the amphora provider
    /// cannot serve this pool.
    public func checkAmphoraProviderSupport() throws(UnsupportedOptionError) {
        guard Self.unsupportedByAmphoraProvider(lbAlgorithm) else { return }
        throw UnsupportedOptionError(
            provider: "amphora",
            field: "lb_algorithm",
            "Amphora provider does not support \(lbAlgorithm.rawValue) algorithm."
        )
    }
}

extension SessionPersistence {
    /// Longest `cookie_name`.
    public static let maxCookieNameLength = 255

    /// Checks the session-persistence rules of reference §1.3 for a pool of `poolProtocol`.
    public func validate(for poolProtocol: PoolProtocol) throws(ValidationError) {
        if type == .appCookie {
            guard let cookieName, !cookieName.isEmpty else {
                throw ValidationError(
                    field: "cookie_name",
                    "Field cookie_name must be specified when using the APP_COOKIE session persistence type."
                )
            }
            if cookieName.count > Self.maxCookieNameLength {
                throw ValidationError(
                    field: "cookie_name",
                    "Value should have a maximum character requirement of \(Self.maxCookieNameLength)"
                )
            }
            if cookieName.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" || $0 == "\\" }) {
                throw ValidationError(
                    field: "cookie_name",
                    "Value: '\(cookieName)'. A cookie name must not contain whitespace or the characters , ; \\"
                )
            }
        } else if cookieName != nil {
            throw ValidationError(
                field: "cookie_name",
                "Field cookie_name can only be specified when using the APP_COOKIE session persistence type."
            )
        }
        try validateLVSOptions(for: poolProtocol)
    }

    /// `persistence_timeout`/`persistence_granularity` only on UDP/SCTP pools, which take only
    /// SOURCE_IP persistence.
    private func validateLVSOptions(for poolProtocol: PoolProtocol) throws(ValidationError) {
        if poolProtocol.isLVS {
            if type != .sourceIP {
                throw ValidationError(
                    field: "type",
                    "Session persistence of type \(type.rawValue) is not supported for \(poolProtocol.rawValue) protocol pools."
                )
            }
            try FieldRules.range(persistenceTimeout, 0...Int.max, field: "persistence_timeout")
            try FieldRules.ipAddress(persistenceGranularity, field: "persistence_granularity")
            return
        }
        if persistenceTimeout != nil || persistenceGranularity != nil {
            throw ValidationError(
                field: persistenceTimeout != nil ? "persistence_timeout" : "persistence_granularity",
                "persistence_timeout and persistence_granularity is only for UDP and SCTP protocol pools."
            )
        }
    }
}
