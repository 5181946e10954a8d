/// TLS material for a TERMINATED_HTTPS listener: the barbican-style refs and the PEM the controller resolved.
///
/// Like the crt-list Octavia gives HAProxy, the first certificate (the default container's, else the first SNI
/// container's) is served to clients that send no server name or one no certificate matches; the others are
/// chosen by the client's SNI name against their CN and DNS subject alternative names.
public struct TLSMaterial: Codable, Sendable, Hashable {
    /// `default_tls_container_ref` followed by `sni_container_refs`.
    public var certificateRefs: [String]
    /// Certificate chain (PEM) of the default container.
    public var certificateChainPem: String?
    /// Private key (PEM) of the default container.
    public var privateKeyPem: String?
    /// Certificate and key of each `sni_container_refs` container, in order. Absent in older documents.
    public var sniCertificates: [TLSCertificate]
    /// Client CA (PEM) for client authentication.
    public var clientCaPem: String?
    /// `NONE`, `OPTIONAL` or `MANDATORY`.
    public var clientAuthentication: String

    /// Creates TLS material.
    public init(
        certificateRefs: [String], certificateChainPem: String? = nil, privateKeyPem: String? = nil,
        sniCertificates: [TLSCertificate] = [], clientCaPem: String? = nil, clientAuthentication: String = "NONE"
    ) {
        self.certificateRefs = certificateRefs
        self.certificateChainPem = certificateChainPem
        self.privateKeyPem = privateKeyPem
        self.sniCertificates = sniCertificates
        self.clientCaPem = clientCaPem
        self.clientAuthentication = clientAuthentication
    }

    /// The default certificate (when both PEMs are present) followed by the SNI certificates.
    public var certificates: [TLSCertificate] {
        guard let certificateChainPem, let privateKeyPem else { return sniCertificates }
        return [TLSCertificate(certificateChainPem: certificateChainPem, privateKeyPem: privateKeyPem)]
            + sniCertificates
    }
}

/// One certificate container: a PEM certificate chain (leaf first) and its PEM private key.
public struct TLSCertificate: Codable, Sendable, Hashable {
    /// Certificate chain, leaf first.
    public var certificateChainPem: String
    /// Private key of the leaf.
    public var privateKeyPem: String

    /// Creates a certificate container.
    public init(certificateChainPem: String, privateKeyPem: String) {
        self.certificateChainPem = certificateChainPem
        self.privateKeyPem = privateKeyPem
    }

    enum CodingKeys: String, CodingKey {
        case certificateChainPem = "certificate_chain_pem"
        case privateKeyPem = "private_key_pem"
    }
}

extension TLSMaterial {
    enum CodingKeys: String, CodingKey {
        case certificateRefs = "certificate_refs"
        case certificateChainPem = "certificate_chain_pem"
        case privateKeyPem = "private_key_pem"
        case sniCertificates = "sni_certificates"
        case clientCaPem = "client_ca_pem"
        case clientAuthentication = "client_authentication"
    }

    /// Decodes, applying Octavia's defaults to absent optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            certificateRefs: try c.decode([String].self, forKey: .certificateRefs),
            certificateChainPem: try c.decodeIfPresent(String.self, forKey: .certificateChainPem),
            privateKeyPem: try c.decodeIfPresent(String.self, forKey: .privateKeyPem),
            sniCertificates: try c.decodeIfPresent([TLSCertificate].self, forKey: .sniCertificates) ?? [],
            clientCaPem: try c.decodeIfPresent(String.self, forKey: .clientCaPem),
            clientAuthentication: try c.decodeIfPresent(String.self, forKey: .clientAuthentication) ?? "NONE"
        )
    }
}
