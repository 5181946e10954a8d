/// Settings of the libvirt compute adapter.
public struct LibvirtConfiguration: Sendable, Hashable {
    /// libvirt URIs of the compute hosts (default `qemu:///system`). Per-amphora files are written under
    /// `stateDirectory` on this machine, so several URIs need hosts that share that path.
    public var uris: [String]
    /// How a host is picked for a new amphora.
    public var placement: Placement
    /// Where per-amphora files live (`<dir>/<amphora id>/initrd.img`, `console.log`). qemu runs as another user,
    /// so the directories are made 0711 (traversable, not listable) and the files 0600 (libvirt hands them over).
    public var stateDirectory: String
    /// Hardware acceleration: `automatic` tries KVM once per host and falls back to TCG (`qemu`) when it fails.
    public var accelerator: Accelerator
    /// The qemu binary on the hosts.
    public var emulator: String

    /// Creates a configuration; the defaults are the lab's.
    public init(
        uris: [String] = ["qemu:///system"],
        placement: Placement = .leastLoaded,
        stateDirectory: String = "/var/lib/fulcrum/amphorae",
        accelerator: Accelerator = .automatic,
        emulator: String = "/usr/bin/qemu-system-x86_64"
    ) {
        self.uris = uris
        self.placement = placement
        self.stateDirectory = stateDirectory
        self.accelerator = accelerator
        self.emulator = emulator
    }

    /// Host choice for a new amphora.
    public enum Placement: String, Sendable, Hashable {
        /// The first reachable host, in `uris` order.
        case first
        /// The host running the fewest Fulcrum amphorae.
        case leastLoaded
    }

    /// Domain type choice.
    public enum Accelerator: String, Sendable, Hashable {
        /// Try `kvm`, fall back to `qemu` (TCG) if the host refuses; the outcome is remembered per host.
        case automatic
        /// Always `kvm`.
        case kvm
        /// Always `qemu` (TCG).
        case tcg
    }
}
