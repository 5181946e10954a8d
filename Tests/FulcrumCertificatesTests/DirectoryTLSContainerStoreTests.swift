import Foundation
import FulcrumCertificates
import FulcrumDrivers
import FulcrumTestSupport
import Testing

@Suite("TLS containers from a directory of PEM files")
struct DirectoryTLSContainerStoreTests {
    @Test("a container is found by bare name, Barbican-style URL or file URL; chain and key are split")
    func resolves() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = try LocalCertificateAuthority.loadOrCreate(directory: directory.path + "/ca")
        let leaf = try ca.issueServerCertificate(commonName: "www.example", ipAddresses: [], validity: .seconds(3_600))
        let bundle = "# www\n" + leaf.certificatePEM + ca.caCertificatePEM + leaf.privateKeyPEM
        try bundle.write(toFile: directory.path + "/www.pem", atomically: true, encoding: .utf8)
        try ca.caCertificatePEM.write(toFile: directory.path + "/client-ca.pem", atomically: true, encoding: .utf8)
        let store = DirectoryTLSContainerStore(directory: directory.path)
        for ref in ["www", "https://barbican.example/v1/containers/www", "file://\(directory.path)/www.pem"] {
            let container = try await store.container(ref)
            #expect(container.certificateChainPEM.components(separatedBy: "BEGIN CERTIFICATE").count == 3, "\(ref)")
            #expect(container.certificateChainPEM.hasPrefix(leaf.certificatePEM.prefix(80)), "leaf first")
            #expect(container.privateKeyPEM?.contains("PRIVATE KEY") == true)
        }
        let clientCA = try await store.container("client-ca")
        #expect(clientCA.privateKeyPEM == nil)
    }

    @Test("unknown, empty, keyless-garbage and escaping refs are refused with the ref in the message")
    func refuses() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "not a certificate\n".write(toFile: directory.path + "/junk.pem", atomically: true, encoding: .utf8)
        let store = DirectoryTLSContainerStore(directory: directory.path)
        for ref in ["missing", "junk", "../etc/passwd", "", "a b", ".hidden"] {
            let error = await #expect(throws: TLSContainerError.self) { try await store.container(ref) }
            #expect(error?.ref == ref)
            #expect(error?.description.hasPrefix("Could not retrieve certificate") == true)
        }
        #expect(DirectoryTLSContainerStore.name(of: "../etc/passwd") == "passwd", "only the last component counts")
    }
}
