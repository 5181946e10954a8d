import Crypto
import Foundation
import FulcrumCertificates
import FulcrumDrivers
import FulcrumTestSupport
import SwiftASN1
import Testing
import X509

@Suite("Local certificate authority")
struct LocalCertificateAuthorityTests {
    func verify(_ leafPEM: String, ca: String, policy: some VerifierPolicy) async throws -> Bool {
        let leaf = try Certificate(pemEncoded: leafPEM)
        let root = try Certificate(pemEncoded: ca)
        var verifier = Verifier(rootCertificates: CertificateStore([root])) { policy }
        switch await verifier.validate(leaf: leaf, intermediates: CertificateStore()) {
        case .validCertificate: return true
        case .couldNotValidate: return false
        }
    }

    @Test("creates the CA once with a 0600 key, and loads the same CA afterwards")
    func createAndReload() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try LocalCertificateAuthority.loadOrCreate(directory: directory.path + "/ca")
        let mode =
            try FileManager.default.attributesOfItem(atPath: directory.path + "/ca/ca.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let again = try LocalCertificateAuthority.loadOrCreate(directory: directory.path + "/ca")
        #expect(again.caCertificatePEM == first.caCertificatePEM)
    }

    @Test("an amphora server certificate chains to the CA, names the amphora, and records its expiry")
    func serverCertificate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try LocalCertificateAuthority.loadOrCreate(directory: directory.path)
        let issued = try ca.issueServerCertificate(
            commonName: "amp-1234", ipAddresses: ["203.0.113.10"], validity: .seconds(30 * 86_400))
        let leaf = try Certificate(pemEncoded: issued.certificatePEM)
        #expect(leaf.subject.description.contains("CN=amp-1234"))
        #expect(abs(issued.notAfter.timeIntervalSinceNow - 30 * 86_400) < 60)
        _ = try P256.Signing.PrivateKey(pemRepresentation: issued.privateKeyPEM)
        let policy = RFC5280Policy(validationTime: Date())
        #expect(try await verify(issued.certificatePEM, ca: ca.caCertificatePEM, policy: policy))
        let names = try #require(try leaf.extensions.subjectAlternativeNames)
        #expect(names.contains(.dnsName("amp-1234")))
        #expect(names.count == 2, "DNS name and IP address")
        #expect(try leaf.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
    }

    @Test("a certificate from another CA does not chain")
    func foreignCA() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ours = try LocalCertificateAuthority.loadOrCreate(directory: directory.path + "/ours")
        let theirs = try LocalCertificateAuthority.loadOrCreate(directory: directory.path + "/theirs")
        let client = try theirs.issueClientCertificate(commonName: "controller", validity: .seconds(3600))
        #expect(
            try await !verify(
                client.certificatePEM, ca: ours.caCertificatePEM, policy: RFC5280Policy(validationTime: Date())))
        let mine = try ours.issueClientCertificate(commonName: "controller", validity: .seconds(3600))
        #expect(
            try await verify(
                mine.certificatePEM, ca: ours.caCertificatePEM, policy: RFC5280Policy(validationTime: Date())))
    }
}
