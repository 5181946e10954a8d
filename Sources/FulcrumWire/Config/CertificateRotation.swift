/// `PUT /v1/certificate` body: the rotated server certificate and key.
public struct CertificateRotation: Codable, Sendable, Hashable {
    /// New chain (PEM).
    public var certificateChainPem: String
    /// New key (PEM).
    public var privateKeyPem: String

    /// Creates a body.
    public init(certificateChainPem: String, privateKeyPem: String) {
        self.certificateChainPem = certificateChainPem
        self.privateKeyPem = privateKeyPem
    }

    enum CodingKeys: String, CodingKey {
        case certificateChainPem = "certificate_chain_pem"
        case privateKeyPem = "private_key_pem"
    }
}
