public import Crypto
public import Foundation
public import FulcrumDrivers
import SwiftASN1
import X509

/// A local CA kept under a state directory (`ca.pem`, and `ca.key` with mode 0600), created on
/// first use. ECDSA P-256 keys, SHA-256 signatures.
public struct LocalCertificateAuthority: CertificateAuthority {
    /// Why the CA could not be loaded or used.
    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private let certificate: Certificate
    private let key: P256.Signing.PrivateKey
    public let caCertificatePEM: String

    /// Loads the CA from `directory`, creating it (and the directory, 0700) when absent.
    public static func loadOrCreate(
        directory: String, name: String = "Fulcrum controller CA", validity: Duration = .seconds(10 * 365 * 86_400)
    ) throws -> LocalCertificateAuthority {
        let files = FileManager.default
        let certificatePath = directory + "/ca.pem"
        let keyPath = directory + "/ca.key"
        if files.fileExists(atPath: certificatePath), files.fileExists(atPath: keyPath) {
            let certificatePEM = try String(contentsOfFile: certificatePath, encoding: .utf8)
            let key = try P256.Signing.PrivateKey(
                pemRepresentation: try String(contentsOfFile: keyPath, encoding: .utf8))
            let certificate = try Certificate(pemEncoded: certificatePEM)
            return LocalCertificateAuthority(certificate: certificate, key: key, pem: certificatePEM)
        }
        try files.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            OrganizationName("Fulcrum")
            CommonName(name)
        }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(validity.timeInterval),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
            },
            issuerPrivateKey: .init(key))
        let pem = try certificate.serializeAsPEM().pemString
        // The key is written 0600 before any byte of it lands on disk.
        guard files.createFile(atPath: keyPath, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw Error(message: "cannot create \(keyPath)")
        }
        try Data(key.pemRepresentation.utf8).write(to: URL(fileURLWithPath: keyPath))
        try Data(pem.utf8).write(to: URL(fileURLWithPath: certificatePath))
        return LocalCertificateAuthority(certificate: certificate, key: key, pem: pem)
    }

    private init(certificate: Certificate, key: P256.Signing.PrivateKey, pem: String) {
        self.certificate = certificate
        self.key = key
        self.caCertificatePEM = pem
    }

    public func issueServerCertificate(
        commonName: String, ipAddresses: [String], validity: Duration
    ) throws -> IssuedCertificate {
        var names: [GeneralName] = [.dnsName(commonName)]
        for address in ipAddresses {
            guard let bytes = Self.ipv4Bytes(address) else { throw Error(message: "not an IPv4 address: \(address)") }
            names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
        }
        return try issue(commonName: commonName, validity: validity) {
            SubjectAlternativeNames(names)
            try ExtendedKeyUsage([.serverAuth])
        }
    }

    public func issueClientCertificate(commonName: String, validity: Duration) throws -> IssuedCertificate {
        try issue(commonName: commonName, validity: validity) {
            try ExtendedKeyUsage([.clientAuth])
        }
    }

    private func issue(
        commonName: String, validity: Duration,
        @ExtensionsBuilder extra: () throws -> Result<Certificate.Extensions, any Swift.Error>
    ) throws -> IssuedCertificate {
        let leafKey = P256.Signing.PrivateKey()
        let now = Date()
        let notAfter = now.addingTimeInterval(validity.timeInterval)
        var extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true, keyAgreement: true))
            AuthorityKeyIdentifier(keyIdentifier: try certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
        }
        for item in try extra().get() { try extensions.append(item) }
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(leafKey.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: notAfter, issuer: certificate.subject,
            subject: try DistinguishedName {
                OrganizationName("Fulcrum")
                CommonName(commonName)
            },
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: .init(key))
        return IssuedCertificate(
            certificatePEM: try leaf.serializeAsPEM().pemString, privateKeyPEM: leafKey.pemRepresentation,
            notAfter: notAfter)
    }

    private static func ipv4Bytes(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".")
        guard parts.count == 4 else { return nil }
        let bytes = parts.compactMap { UInt8($0) }
        return bytes.count == 4 ? bytes : nil
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
