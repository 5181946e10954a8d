import Foundation
import FulcrumRuntime

/// A database probe that answers what it is told.
struct FakeSchemaProbe: SchemaProbe {
    var inspection: SchemaInspection
    func inspect(_ database: DatabaseConfig) async -> SchemaInspection { inspection }
}

/// libvirt URIs that answer, and the reason for the others.
struct FakeLibvirtProbe: LibvirtProbe {
    var reachable: Set<String> = ["qemu:///system"]
    func connect(uri: String) async -> ProbeOutcome {
        reachable.contains(uri)
            ? .reachable("host lab, libvirt 9.0.0")
            : .unreachable("Failed to connect socket to '/run/libvirt/libvirt-sock': No such file or directory")
    }
}

/// Files as a dictionary, a fixed clock and NTP state.
struct FakeHostProbe: HostProbe {
    var files: [String: Data] = [:]
    var clock = Date(timeIntervalSince1970: 1_800_000_000)
    var built: Date? = Date(timeIntervalSince1970: 1_790_000_000)
    var sync = TimeSyncState.synchronized

    func contents(atPath path: String) -> Data? { files[path] }
    func fileSize(atPath path: String) -> Int? { files[path]?.count }
    func now() -> Date { clock }
    func buildDate() -> Date? { built }
    func timeSync() async -> TimeSyncState { sync }

    /// A complete image in `directory` whose manifest matches the files.
    static func withImage(in directory: String) -> FakeHostProbe {
        let kernel = Data(repeating: 1, count: 10)
        let initrd = Data(repeating: 2, count: 20)
        let manifest = """
            {"image_version": "20261127-1", "kernel_version": "6.1.0-28-cloud-amd64", "agent_version": "abc123",
             "files": {"vmlinuz": {"size": 10, "sha256": "x"}, "initrd.img": {"size": 20, "sha256": "y"}}}
            """
        return FakeHostProbe(files: [
            directory + "/vmlinuz": kernel, directory + "/initrd.img": initrd,
            directory + "/manifest.json": Data(manifest.utf8),
        ])
    }
}

/// Namespaces, interfaces (keyed `namespace/name`, `-` for this namespace) and bound sockets.
struct FakeNetworkProbe: NetworkProbe {
    var namespaces: Set<String> = ["fulcrum-lab"]
    var interfaces: [String: InterfaceState] = [:]
    var sockets: [String: [BoundSocket]] = [:]
    var unknownSockets: String?

    func namespaceExists(_ name: String) -> Bool { namespaces.contains(name) }

    func interface(_ name: String, namespace: String?) async -> InterfaceState {
        interfaces["\(namespace ?? "-")/\(name)"] ?? .absent
    }

    func boundSockets(port: Int, transport: Transport, namespace: String?) async -> PortLookup {
        if let unknownSockets { return .unknown(unknownSockets) }
        return .sockets(sockets["\(namespace ?? "-")/\(transport.rawValue)/\(port)"] ?? [])
    }
}
