/// What to boot for one amphora: the image, its NICs, non-secret boot parameters and secret files.
public struct AmphoraSpec: Sendable, Hashable {
    /// The amphora id (the domain is named `fulcrum-amphora-<id>`): letters, digits and `-` only.
    public var amphoraID: String
    /// Kernel and initramfs to boot directly.
    public var image: AmphoraImage
    /// NICs in guest order (`eth0`, `eth1`, …): management first, then the VIP subnet.
    public var nics: [NICSpec]
    /// Non-secret per-amphora parameters, passed on the kernel command line as `fulcrum.KEY=VALUE`
    /// (visible in the host's process list: never put a secret here).
    public var bootParameters: [String: String]
    /// Secret files, delivered inside the guest as `/secrets/<name>` (mode 0600) through a per-amphora archive
    /// joined to the initramfs; never on the command line or in the domain XML.
    public var secrets: [String: [UInt8]]
    /// Guest memory in MiB.
    public var memoryMiB: Int
    /// Virtual CPUs.
    public var vcpus: Int
    /// Amphorae sharing a group (an ACTIVE_STANDBY pair) are placed on different hosts when there are several.
    public var antiAffinityGroup: String?

    /// Creates a spec with the proven amphora shape (128 MiB, 1 vCPU).
    public init(
        amphoraID: String,
        image: AmphoraImage,
        nics: [NICSpec],
        bootParameters: [String: String] = [:],
        secrets: [String: [UInt8]] = [:],
        memoryMiB: Int = 128,
        vcpus: Int = 1,
        antiAffinityGroup: String? = nil
    ) {
        self.amphoraID = amphoraID
        self.image = image
        self.nics = nics
        self.bootParameters = bootParameters
        self.secrets = secrets
        self.memoryMiB = memoryMiB
        self.vcpus = vcpus
        self.antiAffinityGroup = antiAffinityGroup
    }

    /// Problems that make the spec unbootable, empty when it is valid.
    public func problems() -> [String] {
        var found: [String] = []
        if amphoraID.isEmpty || amphoraID.count > 64 || !amphoraID.allSatisfy(\.isIdentifierSafe) {
            found.append("amphora id '\(amphoraID)' must be 1-64 of [A-Za-z0-9-]")
        }
        if nics.isEmpty { found.append("at least one NIC is required") }
        for nic in nics where nic.bridge.isEmpty || !nic.bridge.allSatisfy(\.isIdentifierSafe) {
            found.append("bridge '\(nic.bridge)' must be [A-Za-z0-9-]")
        }
        for nic in nics where nic.macAddress.map({ !MACAddress.isValid($0) }) ?? false {
            found.append("MAC address '\(nic.macAddress ?? "")' is malformed")
        }
        for (key, value) in bootParameters {
            if key.isEmpty || !key.allSatisfy({ $0.isIdentifierSafe || $0 == "_" || $0 == "." }) {
                found.append("boot parameter name '\(key)' must be [A-Za-z0-9._-]")
            }
            if value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "\n" || !$0.isASCII }) {
                found.append("boot parameter '\(key)' must be non-empty printable ASCII without spaces or quotes")
            }
        }
        for name in secrets.keys where name.isEmpty || !name.allSatisfy({ $0.isIdentifierSafe || $0 == "." }) {
            found.append("secret name '\(name)' must be [A-Za-z0-9.-]")
        }
        if memoryMiB < 64 { found.append("memory must be at least 64 MiB") }
        if vcpus < 1 { found.append("at least one vCPU is required") }
        return found
    }
}

/// A bootable amphora image: a kernel and an initramfs on the compute host.
public struct AmphoraImage: Sendable, Hashable {
    /// Path of the kernel (bzImage).
    public var kernelPath: String
    /// Path of the base initramfs; a per-amphora copy with the secrets appended is what boots.
    public var initrdPath: String

    /// Creates an image reference.
    public init(kernelPath: String, initrdPath: String) {
        self.kernelPath = kernelPath
        self.initrdPath = initrdPath
    }
}

/// One virtio NIC on a named bridge.
public struct NICSpec: Sendable, Hashable {
    /// The host bridge (lab: `fulcrum-mgmt`, `fulcrum-private`).
    public var bridge: String
    /// `52:54:00:…`; derived from the amphora id and NIC index when nil.
    public var macAddress: String?

    /// Creates a NIC spec.
    public init(bridge: String, macAddress: String? = nil) {
        self.bridge = bridge
        self.macAddress = macAddress
    }
}

extension Character {
    var isIdentifierSafe: Bool { isASCII && (isLetter || isNumber || self == "-") }
}
