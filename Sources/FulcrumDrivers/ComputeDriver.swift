/// The compute port: builds, inspects and removes amphora VMs. Implementations: `LibvirtComputeDriver`
/// (FulcrumLibvirt) and the in-memory `MemoryComputeDriver` stand-in.
///
/// Every call is idempotent in the way a flow step needs: `delete` of an absent instance succeeds, and `build`
/// of an id that already runs fails with `ComputeError.Code.alreadyExists` so the caller can look before acting.
public protocol ComputeDriver: Sendable {
    /// Boots a VM for `spec.amphoraID` and returns once the hypervisor has started it (not when the agent is up).
    func build(_ spec: AmphoraSpec) async throws -> ComputeInstance

    /// The instance for an amphora id; throws `ComputeError.Code.notFound` when there is none.
    func status(_ amphoraID: String) async throws -> ComputeInstance

    /// Destroys the instance and its per-amphora files. Succeeds when the instance is already gone.
    func delete(_ amphoraID: String) async throws

    /// Every instance this driver manages (by name prefix), on every host: housekeeping compares the list
    /// with the amphora table to find orphans.
    func list() async throws -> [ComputeInstance]

    /// Hot-plugs a NIC into a running instance.
    func attachNIC(_ amphoraID: String, _ nic: NICSpec) async throws

    /// Unplugs the NIC with `macAddress` from a running instance.
    func detachNIC(_ amphoraID: String, macAddress: String) async throws
}
