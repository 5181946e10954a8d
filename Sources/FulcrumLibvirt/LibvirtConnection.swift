import CLibvirt
import FulcrumDrivers

#if canImport(Glibc)
import Glibc
#endif

/// One open libvirt connection. Every method BLOCKS (libvirt RPC) and must only be called from the driver's
/// `NIOThreadPool`, never from the cooperative pool or an event loop.
///
/// `@unchecked Sendable`: libvirt connections are thread-safe (a `virConnectPtr` may be used from several threads
/// at once since libvirt 0.6); the pointer is set once in `init` and released once in `close()`.
final class LibvirtConnection: @unchecked Sendable {
    let uri: String
    let pointer: OpaquePointer

    /// Opens `uri` (blocking).
    init(uri: String) throws {
        LibvirtConnection.initializeOnce
        guard let pointer = virConnectOpen(uri) else {
            throw LibvirtConnection.lastError(.connectionFailed, "cannot connect", host: uri)
        }
        self.uri = uri
        self.pointer = pointer
    }

    var isAlive: Bool { virConnectIsAlive(pointer) == 1 }

    func close() { virConnectClose(pointer) }

    /// Starts a transient domain from `xml`.
    func createTransient(xml: String, amphoraID: String) throws {
        guard let domain = virDomainCreateXML(pointer, xml, 0) else {
            throw LibvirtConnection.lastError(.operationFailed, "virDomainCreateXML failed", amphoraID, host: uri)
        }
        virDomainFree(domain)
    }

    /// The domain's instance description, nil when there is no such domain here.
    func instance(amphoraID: String) throws -> ComputeInstance? {
        guard let domain = virDomainLookupByName(pointer, ComputeInstance.name(for: amphoraID)) else {
            let error = LibvirtConnection.lastError(
                .operationFailed, "virDomainLookupByName failed", amphoraID, host: uri)
            if error.code == .notFound { return nil }
            throw error
        }
        defer { virDomainFree(domain) }
        return try describe(domain, amphoraID: amphoraID).instance
    }

    /// Every Fulcrum amphora domain on this host (by name prefix).
    func instances() throws -> [DomainInfo] {
        var list: UnsafeMutablePointer<virDomainPtr?>? = nil
        let count = virConnectListAllDomains(pointer, &list, 0)
        guard count >= 0, let list else {
            throw LibvirtConnection.lastError(.operationFailed, "virConnectListAllDomains failed", host: uri)
        }
        defer { free(list) }
        var found: [DomainInfo] = []
        for index in 0..<Int(count) {
            guard let domain = list[index] else { continue }
            defer { virDomainFree(domain) }
            guard let namePointer = virDomainGetName(domain),
                let amphoraID = ComputeInstance.amphoraID(fromName: String(cString: namePointer))
            else { continue }
            if let instance = try? describe(domain, amphoraID: amphoraID) { found.append(instance) }
        }
        return found.sorted { $0.instance.amphoraID < $1.instance.amphoraID }
    }

    /// Destroys (and, if persistent, undefines) the domain. Returns false when it did not exist.
    @discardableResult
    func destroy(amphoraID: String) throws -> Bool {
        guard let domain = virDomainLookupByName(pointer, ComputeInstance.name(for: amphoraID)) else {
            let error = LibvirtConnection.lastError(
                .operationFailed, "virDomainLookupByName failed", amphoraID, host: uri)
            if error.code == .notFound { return false }
            throw error
        }
        defer { virDomainFree(domain) }
        if virDomainIsActive(domain) == 1, virDomainDestroy(domain) != 0 {
            let error = LibvirtConnection.lastError(.operationFailed, "virDomainDestroy failed", amphoraID, host: uri)
            if error.code != .notFound { throw error }
        }
        if virDomainIsPersistent(domain) == 1, virDomainUndefine(domain) != 0 {
            let error = LibvirtConnection.lastError(.operationFailed, "virDomainUndefine failed", amphoraID, host: uri)
            if error.code != .notFound { throw error }
        }
        return true
    }

    /// Hot-plugs (`attach`) or unplugs a device on the running domain.
    func changeDevice(amphoraID: String, xml: String, attach: Bool) throws {
        guard let domain = virDomainLookupByName(pointer, ComputeInstance.name(for: amphoraID)) else {
            throw LibvirtConnection.lastError(.notFound, "no such domain", amphoraID, host: uri)
        }
        defer { virDomainFree(domain) }
        let flags = VIR_DOMAIN_AFFECT_LIVE.rawValue
        let rc =
            attach ? virDomainAttachDeviceFlags(domain, xml, flags) : virDomainDetachDeviceFlags(domain, xml, flags)
        if rc != 0 {
            throw LibvirtConnection.lastError(
                .operationFailed, attach ? "virDomainAttachDeviceFlags failed" : "virDomainDetachDeviceFlags failed",
                amphoraID, host: uri)
        }
    }

    private func describe(_ domain: OpaquePointer, amphoraID: String) throws -> DomainInfo {
        var state: Int32 = 0
        var reason: Int32 = 0
        guard virDomainGetState(domain, &state, &reason, 0) == 0 else {
            throw LibvirtConnection.lastError(.operationFailed, "virDomainGetState failed", amphoraID, host: uri)
        }
        var xml = ""
        if let description = virDomainGetXMLDesc(domain, 0) {
            xml = String(cString: description)
            free(description)
        }
        let instance = ComputeInstance(
            amphoraID: amphoraID, name: ComputeInstance.name(for: amphoraID), host: uri,
            state: LibvirtConnection.state(UInt32(state)),
            macAddresses: DomainXML.attributeValues(in: xml, element: "mac", attribute: "address"),
            consoleLogPath: DomainXML.attributeValues(in: xml, element: "source", attribute: "path").first)
        return DomainInfo(instance: instance, antiAffinityGroup: DomainXML.elementText(in: xml, tag: "fulcrum:group"))
    }

    static func state(_ raw: UInt32) -> ComputeState {
        switch raw {
        case VIR_DOMAIN_RUNNING.rawValue, VIR_DOMAIN_BLOCKED.rawValue: .running
        case VIR_DOMAIN_PAUSED.rawValue, VIR_DOMAIN_PMSUSPENDED.rawValue: .paused
        case VIR_DOMAIN_SHUTDOWN.rawValue, VIR_DOMAIN_SHUTOFF.rawValue: .stopped
        case VIR_DOMAIN_CRASHED.rawValue: .crashed
        default: .unknown
        }
    }

    /// libvirt's last error on THIS thread (it is thread-local: call right after the failing call, on the same
    /// pool thread), mapped to a `ComputeError`. `fallback` is used when the number has no closer match.
    static func lastError(
        _ fallback: ComputeError.Code, _ message: String, _ amphoraID: String? = nil, host: String
    ) -> ComputeError {
        guard let error = virGetLastError() else {
            return ComputeError(fallback, message, amphoraID: amphoraID, host: host)
        }
        let number = UInt32(bitPattern: error.pointee.code)
        let text = error.pointee.message.map { String(cString: $0) } ?? "libvirt error"
        return ComputeError(
            code(forLibvirtError: number, fallback: fallback), message, amphoraID: amphoraID, host: host,
            underlying: "\(text) (virErrorNumber \(number))")
    }

    /// The `ComputeError.Code` for a `virErrorNumber`.
    static func code(forLibvirtError number: UInt32, fallback: ComputeError.Code) -> ComputeError.Code {
        switch number {
        case VIR_ERR_NO_DOMAIN.rawValue: .notFound
        case VIR_ERR_DOM_EXIST.rawValue: .alreadyExists
        case VIR_ERR_XML_ERROR.rawValue, VIR_ERR_XML_DETAIL.rawValue, VIR_ERR_CONFIG_UNSUPPORTED.rawValue,
            VIR_ERR_INVALID_ARG.rawValue:
            .invalidSpec
        case VIR_ERR_NO_CONNECT.rawValue, VIR_ERR_INVALID_CONN.rawValue, VIR_ERR_AUTH_FAILED.rawValue,
            VIR_ERR_RPC.rawValue,
            VIR_ERR_SYSTEM_ERROR.rawValue where fallback == .connectionFailed:
            .connectionFailed
        case VIR_ERR_NO_CONNECT.rawValue, VIR_ERR_INVALID_CONN.rawValue, VIR_ERR_AUTH_FAILED.rawValue:
            .connectionFailed
        default: fallback
        }
    }

    /// virInitialize before any thread uses libvirt, and no printing of every error to stderr (they are thrown).
    private static let initializeOnce: Void = {
        _ = virInitialize()
        virSetErrorFunc(nil) { _, _ in }
    }()
}

/// A domain as read from libvirt: the port's instance plus the metadata placement needs.
struct DomainInfo: Sendable {
    var instance: ComputeInstance
    var antiAffinityGroup: String?
}
