import FulcrumWire
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// The server side of a TERMINATED_HTTPS listener: its certificates (default first, then SNI), chosen per
/// handshake by the client's server name, and client authentication.
enum TerminatedTLS {
    /// One certificate container, parsed.
    struct Entry: Sendable {
        var chain: [NIOSSLCertificateSource]
        var key: NIOSSLPrivateKeySource
        /// The names SNI matches: the leaf's DNS subject alternative names and common names.
        var names: [String]
    }

    /// The server TLS context of a TERMINATED_HTTPS listener (nil for other protocols). With SNI certificates
    /// the handshake switches to the certificate matching the client's server name (``SNICertificateSelector``).
    /// Client authentication MANDATORY requires a certificate from `client_ca_pem`; OPTIONAL verifies one only when
    /// presented. Every certificate and key is checked here, so bad material fails `apply`, not a handshake.
    static func context(_ listener: ListenerConfig) throws -> NIOSSLContext? {
        guard listener.protocol == .terminatedHTTPS else { return nil }
        guard let material = listener.tls, !material.certificates.isEmpty else {
            throw EngineError(.invalidConfig, "TERMINATED_HTTPS listener \(listener.id) has no certificate and key")
        }
        do {
            let entries = try material.certificates.map(entry)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: entries[0].chain, privateKey: entries[0].key)
            configuration.minimumTLSVersion = .tlsv12
            configuration.applicationProtocols = ["http/1.1"]
            if material.clientAuthentication != "NONE", let ca = material.clientCaPem {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(ca.utf8)))
                configuration.certificateVerification =
                    material.clientAuthentication == "MANDATORY" ? .noHostnameVerification : .optionalVerification
            }
            if entries.count > 1 {
                for entry in entries.dropFirst() {
                    // a context of its own checks that the key belongs to the certificate
                    var check = configuration
                    check.certificateChain = entry.chain
                    check.privateKey = entry.key
                    _ = try NIOSSLContext(configuration: check)
                }
                let selector = SNICertificateSelector(names: entries.map(\.names))
                configuration.sslContextCallback = { values, promise in
                    let index = selector.select(values.serverHostname)
                    guard index > 0 else { return promise.succeed(.noChanges) }
                    var override = NIOSSLContextConfigurationOverride()
                    override.certificateChain = entries[index].chain
                    override.privateKey = entries[index].key
                    promise.succeed(override)
                }
            }
            return try NIOSSLContext(configuration: configuration)
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.invalidConfig, "TERMINATED_HTTPS listener \(listener.id): \(error)")
        }
    }

    private static func entry(_ certificate: TLSCertificate) throws -> Entry {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificate.certificateChainPem.utf8))
        guard let leaf = chain.first else { throw EngineError(.invalidConfig, "a certificate chain is empty") }
        let key = try NIOSSLPrivateKey(bytes: Array(certificate.privateKeyPem.utf8), format: .pem)
        return Entry(
            chain: chain.map { .certificate($0) }, key: .privateKey(key),
            names: try names(of: Certificate(derEncoded: try leaf.toDERBytes())))
    }

    /// DNS subject alternative names, then common names (HAProxy takes both).
    static func names(of certificate: Certificate) throws -> [String] {
        var names: [String] = []
        if let alternatives = try certificate.extensions.subjectAlternativeNames {
            for case .dnsName(let dns) in alternatives { names.append(dns) }
        }
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                if let value = String(attribute.value) { names.append(value) }
            }
        }
        return names
    }
}
