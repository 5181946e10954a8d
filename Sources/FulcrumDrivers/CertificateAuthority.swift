public import Foundation

/// A certificate and its private key, both PEM.
public struct IssuedCertificate: Sendable, Hashable {
    /// The certificate, PEM.
    public var certificatePEM: String
    /// The private key, PEM (PKCS#8). Secret: never logged, never on a command line.
    public var privateKeyPEM: String
    /// End of validity (recorded as the amphora's `cert_expiration` for rotation).
    public var notAfter: Date

    /// Creates an issued certificate.
    public init(certificatePEM: String, privateKeyPEM: String, notAfter: Date) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        self.notAfter = notAfter
    }
}

/// The controller's CA: issues amphora server certificates (CN = amphora id) and the controller's
/// client certificate for the mutual-TLS agent API.
public protocol CertificateAuthority: Sendable {
    /// The CA certificate amphorae and the controller trust, PEM.
    var caCertificatePEM: String { get }
    /// A server certificate for an amphora agent: CN and DNS SAN = `commonName`, plus IP SANs.
    func issueServerCertificate(
        commonName: String, ipAddresses: [String], validity: Duration
    ) throws -> IssuedCertificate
    /// A client certificate (extended key usage clientAuth) for the controller.
    func issueClientCertificate(commonName: String, validity: Duration) throws -> IssuedCertificate
}
