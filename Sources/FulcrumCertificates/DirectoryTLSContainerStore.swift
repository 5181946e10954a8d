import Foundation
public import FulcrumDrivers

/// TLS containers as PEM files in one directory (`certificates.container_dir`): the container `NAME` is
/// `NAME.pem`, holding the certificate chain (leaf first) and, for a server certificate, its private key. A ref may be
/// the bare name or any URL whose last path component is the name (a Barbican-style
/// `https://…/v1/containers/NAME`, `file:///etc/fulcrum/certificates/NAME.pem`), so refs written for Octavia keep
/// their shape. Names are letters, digits, `.`, `_` and `-` only: a ref never reaches outside the directory.
public struct DirectoryTLSContainerStore: TLSContainerStore {
    /// The directory.
    public let directory: String

    /// Creates the store for `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// The container name a ref stands for, or nil when it has none.
    public static func name(of ref: String) -> String? {
        var name = String(ref.split(separator: "/", omittingEmptySubsequences: true).last ?? "")
        if name.hasSuffix(".pem") { name.removeLast(4) }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.count <= 128, name.allSatisfy(allowed.contains), !name.hasPrefix(".") else {
            return nil
        }
        return name
    }

    public func container(_ ref: String) async throws -> TLSContainer {
        guard let name = Self.name(of: ref) else {
            throw TLSContainerError(ref: ref, reason: "not a container name")
        }
        let path = directory + "/" + name + ".pem"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TLSContainerError(ref: ref, reason: "no container \(name) (\(path))")
        }
        return try Self.parse(String(decoding: data, as: UTF8.self), ref: ref)
    }

    /// Splits a PEM bundle into its certificates (in order) and its private key; blocks may follow each other
    /// without a line break, and text between them is ignored.
    static func parse(_ text: String, ref: String) throws -> TLSContainer {
        var certificates: [String] = []
        var keys: [String] = []
        var rest = text[...]
        while let begin = rest.range(of: "-----BEGIN "),
            let labelEnd = rest[begin.upperBound...].range(of: "-----")
        {
            let label = rest[begin.upperBound..<labelEnd.lowerBound]
            guard let end = rest[labelEnd.upperBound...].range(of: "-----END \(label)-----") else { break }
            let block = String(rest[begin.lowerBound..<end.upperBound]) + "\n"
            if label == "CERTIFICATE" {
                certificates.append(block)
            } else if label.hasSuffix("PRIVATE KEY") {
                keys.append(block)
            }
            rest = rest[end.upperBound...]
        }
        guard !certificates.isEmpty else { throw TLSContainerError(ref: ref, reason: "no PEM certificate in it") }
        guard keys.count <= 1 else { throw TLSContainerError(ref: ref, reason: "more than one private key in it") }
        return TLSContainer(certificateChainPEM: certificates.joined(), privateKeyPEM: keys.first)
    }
}
