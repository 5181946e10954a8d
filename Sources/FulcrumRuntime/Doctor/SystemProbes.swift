public import Foundation
import FulcrumDrivers
import FulcrumLibvirt
import FulcrumSQLite
import NIOPosix

/// The database probe over the SQLite adapter. It never creates a database: a missing file is reported as such.
public struct SQLiteSchemaProbe: SchemaProbe {
    /// Creates the probe.
    public init() {}

    public func inspect(_ database: DatabaseConfig) async -> SchemaInspection {
        guard FileManager.default.fileExists(atPath: database.path) else { return .missing }
        do {
            return try await NIOThreadPool.singleton.runIfActive {
                let opened = try FulcrumDatabase.open(
                    path: database.path, configuration: .init(busyTimeout: database.busyTimeout))
                return .applied(try opened.appliedMigrations())
            }
        } catch {
            return .unreadable("\(error)")
        }
    }
}

/// The libvirt probe over the libvirt C API, as the worker connects.
public struct LibvirtConnectionProbe: LibvirtProbe {
    /// Creates the probe.
    public init() {}

    public func connect(uri: String) async -> ProbeOutcome {
        do {
            let summary = try await LibvirtComputeDriver.checkConnection(uri: uri)
            return .reachable("host \(summary.hostname), libvirt \(summary.libvirtVersion)")
        } catch let error as ComputeError {
            return .unreachable(error.underlying ?? error.message)
        } catch {
            return .unreachable("\(error)")
        }
    }
}

/// Files, the clock and `timedatectl` of this machine.
public struct SystemHostProbe: HostProbe {
    /// Creates the probe.
    public init() {}

    public func contents(atPath path: String) -> Data? {
        guard fileSize(atPath: path) != nil else { return nil }
        return FileManager.default.contents(atPath: path)
    }

    public func fileSize(atPath path: String) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular
        else { return nil }
        return (attributes[.size] as? NSNumber)?.intValue
    }

    public func now() -> Date { Date() }

    public func buildDate() -> Date? {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return nil
        }
        return (try? FileManager.default.attributesOfItem(atPath: executable))?[.modificationDate] as? Date
    }

    public func timeSync() async -> TimeSyncState {
        let result = await Subprocess.run(["timedatectl", "show", "--property=NTPSynchronized", "--value"])
        switch (result.status, result.output.trimmingCharacters(in: .whitespacesAndNewlines)) {
        case (0, "yes"): return .synchronized
        case (0, "no"): return .notSynchronized
        case (127, _): return .unknown("timedatectl not found")
        default: return .unknown("timedatectl show: \(result.summary)")
        }
    }
}

/// Namespaces under `/run/netns`, interfaces (`/sys/class/net`, or `ip -n` inside a namespace) and sockets (`ss`).
public struct SystemNetworkProbe: NetworkProbe {
    /// Creates the probe.
    public init() {}

    public func namespaceExists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: "/run/netns/" + name)
    }

    public func interface(_ name: String, namespace: String?) async -> InterfaceState {
        guard let namespace else {
            let path = "/sys/class/net/" + name
            guard FileManager.default.fileExists(atPath: path) else { return .absent }
            return FileManager.default.fileExists(atPath: path + "/bridge") ? .bridge : .notBridge
        }
        let result = await Subprocess.run(["ip", "-n", namespace, "-d", "-o", "link", "show", "dev", name])
        if result.status == 0 { return result.output.contains(" bridge ") ? .bridge : .notBridge }
        if result.output.contains("does not exist") { return .absent }
        if result.status == 127 { return .notVisible("ip not found: install iproute2") }
        return .notVisible("ip -n \(namespace): \(result.summary)")
    }

    public func boundSockets(port: Int, transport: Transport, namespace: String?) async -> PortLookup {
        let ss = ["ss", "-H", "-l", "-n", "-p", transport == .tcp ? "-t" : "-u"]
        let result = await Subprocess.run(namespace.map { ["ip", "netns", "exec", $0] + ss } ?? ss)
        switch result.status {
        case 0: return .sockets(SocketListing.parse(result.output, port: port))
        case 127: return .unknown("ss not found: install iproute2")
        default: return .unknown(result.summary)
        }
    }
}

extension Doctor {
    /// A doctor with the real probes.
    public static func system() -> Doctor {
        Doctor(
            schema: SQLiteSchemaProbe(), libvirt: LibvirtConnectionProbe(), host: SystemHostProbe(),
            network: SystemNetworkProbe())
    }
}
