/// A TLS container (Octavia's Barbican container): a PEM certificate chain, leaf first, and — for a server
/// certificate — its PEM private key. A client CA container has no key.
public struct TLSContainer: Sendable, Hashable {
    /// Certificate chain, leaf first (PEM).
    public var certificateChainPEM: String
    /// The leaf's private key (PEM); secret: never logged.
    public var privateKeyPEM: String?

    /// Creates a container.
    public init(certificateChainPEM: String, privateKeyPEM: String? = nil) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
    }
}

/// Why a container could not be read.
public struct TLSContainerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The ref as given.
    public var ref: String
    /// What is wrong, in words an API user can act on.
    public var reason: String

    /// Creates an error.
    public init(ref: String, reason: String) {
        self.ref = ref
        self.reason = reason
    }

    public var description: String { "Could not retrieve certificate: \(ref): \(reason)" }
}

/// Resolves `default_tls_container_ref`, `sni_container_refs` and `client_ca_tls_container_ref` values (the
/// worker's port to a certificate manager; Octavia's is Barbican).
public protocol TLSContainerStore: Sendable {
    /// The container `ref` names.
    func container(_ ref: String) async throws -> TLSContainer
}

/// Containers held in memory (tests, and deployments without TERMINATED_HTTPS: every ref is unknown).
public struct MemoryTLSContainerStore: TLSContainerStore {
    /// Containers by ref.
    public var containers: [String: TLSContainer]

    /// Creates a store of `containers`.
    public init(_ containers: [String: TLSContainer] = [:]) {
        self.containers = containers
    }

    public func container(_ ref: String) async throws -> TLSContainer {
        guard let container = containers[ref] else {
            throw TLSContainerError(ref: ref, reason: "no such certificate container")
        }
        return container
    }
}
