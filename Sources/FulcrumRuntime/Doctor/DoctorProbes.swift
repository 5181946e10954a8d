public import Foundation

/// What `SchemaProbe` found at the configured database path.
public enum SchemaInspection: Sendable, Hashable {
    /// There is no file there (nothing was created).
    case missing
    /// The file exists but could not be opened or read; the text says why.
    case unreadable(String)
    /// The migration identifiers recorded in the database (possibly none).
    case applied([String])
}

/// Reads a database's migration state without creating or changing the database.
public protocol SchemaProbe: Sendable {
    /// The migrations recorded in the database at `database.path`.
    func inspect(_ database: DatabaseConfig) async -> SchemaInspection
}

/// The outcome of a probe that either works (with a description) or fails (with the reason).
public enum ProbeOutcome: Sendable, Hashable {
    /// It worked; what was learnt.
    case reachable(String)
    /// It failed; the underlying reason (e.g. libvirt's own message).
    case unreachable(String)
}

/// Opens libvirt connections the way the worker does.
public protocol LibvirtProbe: Sendable {
    /// Connects to `uri` and closes again.
    func connect(uri: String) async -> ProbeOutcome
}

/// Whether the system clock is synchronised, as `timedatectl show` reports it.
public enum TimeSyncState: Sendable, Hashable {
    /// NTPSynchronized=yes.
    case synchronized
    /// NTPSynchronized=no.
    case notSynchronized
    /// Cannot tell; the text says why (no timedatectl, no systemd, …).
    case unknown(String)
}

/// Files and clocks of the machine doctor runs on.
public protocol HostProbe: Sendable {
    /// The file's contents, or `nil` when it is absent, not a regular file or unreadable.
    func contents(atPath path: String) -> Data?
    /// The size of a regular file, or `nil` when it is absent or not a regular file.
    func fileSize(atPath path: String) -> Int?
    /// The current wall-clock time.
    func now() -> Date
    /// When the running binary was built (its modification time), if known.
    func buildDate() -> Date?
    /// The NTP synchronisation state.
    func timeSync() async -> TimeSyncState
}

/// What is known about a network interface.
public enum InterfaceState: Sendable, Hashable {
    /// It exists and is a Linux bridge.
    case bridge
    /// It exists but is not a bridge.
    case notBridge
    /// No interface by that name in that namespace.
    case absent
    /// Cannot tell from here; the text says why (permissions, missing tool).
    case notVisible(String)
}

/// The transport of a listening socket.
public enum Transport: String, Sendable, Hashable {
    /// TCP (the API).
    case tcp
    /// UDP (heartbeats).
    case udp
}

/// A socket bound to a local port, as `ss` lists it.
public struct BoundSocket: Sendable, Hashable {
    /// The local address (`127.0.0.1`, `0.0.0.0`, `*`, `[::]`).
    public var address: String
    /// The local port.
    public var port: Int
    /// The owning process's command name (at most 15 characters, as the kernel keeps it), when visible.
    public var process: String?
    /// The owning process's id, when visible.
    public var pid: Int?

    /// Creates a socket description.
    public init(address: String, port: Int, process: String? = nil, pid: Int? = nil) {
        self.address = address
        self.port = port
        self.process = process
        self.pid = pid
    }
}

/// What is bound on a port.
public enum PortLookup: Sendable, Hashable {
    /// The sockets bound to the port (empty when it is free).
    case sockets([BoundSocket])
    /// Cannot tell; the text says why.
    case unknown(String)
}

/// Network namespaces, interfaces and sockets.
public protocol NetworkProbe: Sendable {
    /// Whether `/run/netns/<name>` exists.
    func namespaceExists(_ name: String) -> Bool
    /// The interface `name` in `namespace` (`nil`: this process's namespace).
    func interface(_ name: String, namespace: String?) async -> InterfaceState
    /// Sockets bound to `port` in `namespace` (`nil`: this process's namespace).
    func boundSockets(port: Int, transport: Transport, namespace: String?) async -> PortLookup
}
