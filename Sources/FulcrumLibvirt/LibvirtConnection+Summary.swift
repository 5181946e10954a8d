import CLibvirt
import FulcrumDrivers

#if canImport(Glibc)
import Glibc
#endif

/// What a connection check learnt about a libvirt host.
public struct LibvirtHostSummary: Sendable, Hashable {
    /// The URI that was opened.
    public var uri: String
    /// The host's name as libvirt reports it.
    public var hostname: String
    /// The libvirt daemon's version, `major.minor.release`.
    public var libvirtVersion: String

    /// Creates a summary.
    public init(uri: String, hostname: String, libvirtVersion: String) {
        self.uri = uri
        self.hostname = hostname
        self.libvirtVersion = libvirtVersion
    }
}

extension LibvirtConnection {
    /// The host name and daemon version (blocking RPCs).
    func summary() throws -> LibvirtHostSummary {
        guard let name = virConnectGetHostname(pointer) else {
            throw LibvirtConnection.lastError(.connectionFailed, "virConnectGetHostname failed", host: uri)
        }
        defer { free(name) }
        var version: UInt = 0
        guard virConnectGetLibVersion(pointer, &version) == 0 else {
            throw LibvirtConnection.lastError(.connectionFailed, "virConnectGetLibVersion failed", host: uri)
        }
        return LibvirtHostSummary(
            uri: uri, hostname: String(cString: name),
            libvirtVersion: "\(version / 1_000_000).\(version / 1_000 % 1_000).\(version % 1_000)")
    }
}
