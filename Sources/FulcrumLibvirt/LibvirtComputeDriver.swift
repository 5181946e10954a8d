import Foundation
public import FulcrumDrivers
public import Logging
public import NIOPosix

/// `ComputeDriver` over the libvirt C API: transient domains named `fulcrum-amphora-<id>`, direct kernel boot
/// of the amphora image with a per-amphora initramfs (secrets archive + base image), KVM where it works and
/// TCG otherwise. Every blocking libvirt or file call runs on `threadPool`, never on the cooperative pool.
public final class LibvirtComputeDriver: ComputeDriver {
    private let configuration: LibvirtConfiguration
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let hosts: [LibvirtHost]

    /// Creates the driver; connections open on first use. `threadPool` must be started (the default is).
    public init(configuration: LibvirtConfiguration, threadPool: NIOThreadPool = .singleton, logger: Logger) {
        self.configuration = configuration
        self.threadPool = threadPool
        self.logger = logger
        self.hosts = configuration.uris.map { LibvirtHost(uri: $0, threadPool: threadPool) }
    }

    /// Opens `uri`, asks for its host name and libvirt version, and closes it again; the blocking calls run on
    /// `threadPool`. `fulcrum doctor` uses it to tell whether the worker will reach libvirt.
    ///
    /// - Throws: `ComputeError` (`.connectionFailed` with libvirt's own message as `underlying`).
    public static func checkConnection(
        uri: String, threadPool: NIOThreadPool = .singleton
    ) async throws -> LibvirtHostSummary {
        try await threadPool.runIfActive {
            let connection = try LibvirtConnection(uri: uri)
            defer { connection.close() }
            return try connection.summary()
        }
    }

    /// Closes every connection.
    public func close() async {
        for host in hosts { await host.close() }
    }

    public func build(_ spec: AmphoraSpec) async throws -> ComputeInstance {
        let problems = spec.problems()
        guard problems.isEmpty else {
            throw ComputeError(.invalidSpec, problems.joined(separator: "; "), amphoraID: spec.amphoraID)
        }
        if let existing = try? await status(spec.amphoraID) {
            throw ComputeError(
                .alreadyExists, "instance already exists", amphoraID: spec.amphoraID, host: existing.host)
        }
        let host = try await place(spec)
        let files = AmphoraFiles(stateDirectory: configuration.stateDirectory, amphoraID: spec.amphoraID)
        try await threadPool.runIfActive { try files.write(image: spec.image, secrets: spec.secrets) }
        let paths = DomainXML.Paths(
            initrd: files.initrd, consoleLog: files.consoleLog, emulator: configuration.emulator)
        do {
            try await create(spec, on: host, paths: paths)
        } catch {
            try? await threadPool.runIfActive { try files.remove() }
            throw error
        }
        logger.info(
            "amphora domain started", metadata: ["amphora.id": "\(spec.amphoraID)", "compute.host": "\(host.uri)"])
        return try await status(spec.amphoraID)
    }

    public func status(_ amphoraID: String) async throws -> ComputeInstance {
        var unreachable: ComputeError?
        for host in hosts {
            do {
                if let instance = try await host.run({ try $0.instance(amphoraID: amphoraID) }) { return instance }
            } catch let error as ComputeError where error.code == .connectionFailed {
                unreachable = error
            }
        }
        // Not found on the hosts that answered; if one did not, the instance may be there.
        if let unreachable { throw unreachable }
        throw ComputeError(.notFound, "no instance", amphoraID: amphoraID)
    }

    public func delete(_ amphoraID: String) async throws {
        for host in hosts {
            if try await host.run({ try $0.destroy(amphoraID: amphoraID) }) {
                logger.info(
                    "amphora domain destroyed", metadata: ["amphora.id": "\(amphoraID)", "compute.host": "\(host.uri)"])
            }
        }
        let files = AmphoraFiles(stateDirectory: configuration.stateDirectory, amphoraID: amphoraID)
        try await threadPool.runIfActive { try files.remove() }
    }

    public func list() async throws -> [ComputeInstance] {
        var all: [ComputeInstance] = []
        for host in hosts {
            all += try await host.run { try $0.instances() }.map(\.instance)
        }
        return all
    }

    public func attachNIC(_ amphoraID: String, _ nic: NICSpec) async throws {
        let instance = try await status(amphoraID)
        let mac = (nic.macAddress ?? MACAddress.derived(amphoraID: amphoraID, index: instance.macAddresses.count))
            .lowercased()
        guard !instance.macAddresses.contains(mac) else {
            throw ComputeError(.alreadyExists, "NIC \(mac) is already attached", amphoraID: amphoraID)
        }
        let xml = DomainXML.interface(bridge: nic.bridge, mac: mac)
        try await host(instance).run { try $0.changeDevice(amphoraID: amphoraID, xml: xml, attach: true) }
    }

    public func detachNIC(_ amphoraID: String, macAddress: String) async throws {
        let instance = try await status(amphoraID)
        let mac = macAddress.lowercased()
        guard instance.macAddresses.contains(mac) else {
            throw ComputeError(.notFound, "no NIC \(mac)", amphoraID: amphoraID)
        }
        let bridge = "unused"  // libvirt matches an interface to detach by its MAC
        let xml = DomainXML.interface(bridge: bridge, mac: mac)
        try await host(instance).run { try $0.changeDevice(amphoraID: amphoraID, xml: xml, attach: false) }
    }

    // MARK: - helpers

    private func host(_ instance: ComputeInstance) -> LibvirtHost {
        hosts.first { $0.uri == instance.host } ?? hosts[0]
    }

    private func place(_ spec: AmphoraSpec) async throws -> LibvirtHost {
        var reachable: [LibvirtHost] = []
        var candidates: [HostPlacement.Candidate] = []
        var lastError: ComputeError?
        for host in hosts {
            do {
                let domains = try await host.run { try $0.instances() }
                reachable.append(host)
                candidates.append(
                    .init(
                        uri: host.uri, amphorae: domains.count,
                        antiAffinityGroups: domains.compactMap(\.antiAffinityGroup)))
                if configuration.placement == .first, spec.antiAffinityGroup == nil { break }
            } catch let error as ComputeError {
                logger.debug(
                    "compute host unreachable", metadata: ["compute.host": "\(host.uri)", "error": "\(error)"])
                lastError = error
            }
        }
        guard
            let index = HostPlacement.choose(candidates, group: spec.antiAffinityGroup, policy: configuration.placement)
        else {
            throw lastError ?? ComputeError(.noCapacity, "no compute host available", amphoraID: spec.amphoraID)
        }
        return reachable[index]
    }

    /// Starts the domain with the configured accelerator; `automatic` tries KVM once per host and remembers.
    private func create(_ spec: AmphoraSpec, on host: LibvirtHost, paths: DomainXML.Paths) async throws {
        let types: [DomainXML.DomainType]
        switch configuration.accelerator {
        case .kvm: types = [.kvm]
        case .tcg: types = [.qemu]
        case .automatic:
            switch await host.kvmWorks {
            case true: types = [.kvm]
            case false: types = [.qemu]
            case nil: types = [.kvm, .qemu]
            }
        }
        var lastError: (any Error)?
        for type in types {
            let xml = DomainXML.render(spec, type: type, paths: paths)
            do {
                try await host.run { try $0.createTransient(xml: xml, amphoraID: spec.amphoraID) }
                if configuration.accelerator == .automatic { await host.recordKVM(works: type == .kvm) }
                return
            } catch let error as ComputeError where type == .kvm && configuration.accelerator == .automatic {
                logger.info(
                    "kvm unavailable, falling back to tcg",
                    metadata: ["compute.host": "\(host.uri)", "error": "\(error)"])
                await host.recordKVM(works: false)
                lastError = error
            }
        }
        throw lastError ?? ComputeError(.operationFailed, "domain not started", amphoraID: spec.amphoraID)
    }
}
