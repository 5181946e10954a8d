/// In-memory `ComputeDriver` stand-in: instances are entries in a dictionary, so flows can run in CI without
/// a hypervisor. Behaves like the libvirt adapter for ids, idempotence and errors.
public actor MemoryComputeDriver: ComputeDriver {
    private var instances: [String: ComputeInstance] = [:]
    private let host: String
    /// Every spec passed to `build`, in order (for tests that assert on what was asked).
    public private(set) var builtSpecs: [AmphoraSpec] = []

    /// Creates an empty driver whose instances report `host`.
    public init(host: String = "memory://") {
        self.host = host
    }

    public func build(_ spec: AmphoraSpec) async throws -> ComputeInstance {
        let problems = spec.problems()
        guard problems.isEmpty else {
            throw ComputeError(.invalidSpec, problems.joined(separator: "; "), amphoraID: spec.amphoraID)
        }
        guard instances[spec.amphoraID] == nil else {
            throw ComputeError(.alreadyExists, "instance already exists", amphoraID: spec.amphoraID, host: host)
        }
        let macs = spec.nics.enumerated().map { index, nic in
            nic.macAddress ?? MACAddress.derived(amphoraID: spec.amphoraID, index: index)
        }
        let instance = ComputeInstance(
            amphoraID: spec.amphoraID, name: ComputeInstance.name(for: spec.amphoraID), host: host, state: .running,
            macAddresses: macs)
        instances[spec.amphoraID] = instance
        builtSpecs.append(spec)
        return instance
    }

    public func status(_ amphoraID: String) async throws -> ComputeInstance {
        guard let instance = instances[amphoraID] else {
            throw ComputeError(.notFound, "no instance", amphoraID: amphoraID, host: host)
        }
        return instance
    }

    public func delete(_ amphoraID: String) async throws {
        instances[amphoraID] = nil
    }

    public func list() async throws -> [ComputeInstance] {
        instances.values.sorted { $0.amphoraID < $1.amphoraID }
    }

    public func attachNIC(_ amphoraID: String, _ nic: NICSpec) async throws {
        var instance = try await status(amphoraID)
        let mac = nic.macAddress ?? MACAddress.derived(amphoraID: amphoraID, index: instance.macAddresses.count)
        guard !instance.macAddresses.contains(mac) else {
            throw ComputeError(.alreadyExists, "NIC \(mac) is already attached", amphoraID: amphoraID, host: host)
        }
        instance.macAddresses.append(mac)
        instances[amphoraID] = instance
    }

    public func detachNIC(_ amphoraID: String, macAddress: String) async throws {
        var instance = try await status(amphoraID)
        guard let index = instance.macAddresses.firstIndex(of: macAddress) else {
            throw ComputeError(.notFound, "no NIC \(macAddress)", amphoraID: amphoraID, host: host)
        }
        instance.macAddresses.remove(at: index)
        instances[amphoraID] = instance
    }

    /// Test hook: changes the reported state of an instance (e.g. to simulate a crash).
    public func setState(_ state: ComputeState, for amphoraID: String) {
        instances[amphoraID]?.state = state
    }
}
