/// An amphora VM as the compute driver sees it.
public struct ComputeInstance: Sendable, Hashable {
    /// The amphora id.
    public var amphoraID: String
    /// The hypervisor's name for it (`fulcrum-amphora-<id>`).
    public var name: String
    /// The host (libvirt URI) it runs on.
    public var host: String
    /// Its run state.
    public var state: ComputeState
    /// MAC addresses of its NICs, in guest order.
    public var macAddresses: [String]
    /// Where the serial console is written, if known.
    public var consoleLogPath: String?

    /// Creates an instance description.
    public init(
        amphoraID: String, name: String, host: String, state: ComputeState, macAddresses: [String] = [],
        consoleLogPath: String? = nil
    ) {
        self.amphoraID = amphoraID
        self.name = name
        self.host = host
        self.state = state
        self.macAddresses = macAddresses
        self.consoleLogPath = consoleLogPath
    }

    /// The domain name prefix every Fulcrum amphora carries.
    public static let namePrefix = "fulcrum-amphora-"

    /// `fulcrum-amphora-<id>`.
    public static func name(for amphoraID: String) -> String { namePrefix + amphoraID }

    /// The amphora id in a domain name, nil when the name is not a Fulcrum amphora's.
    public static func amphoraID(fromName name: String) -> String? {
        guard name.hasPrefix(namePrefix), name.count > namePrefix.count else { return nil }
        return String(name.dropFirst(namePrefix.count))
    }
}

/// Run state of a compute instance.
public enum ComputeState: String, Sendable, Hashable, CaseIterable {
    /// Running (the guest may still be booting).
    case running
    /// Paused or suspended by the hypervisor.
    case paused
    /// Shut off or shutting down.
    case stopped
    /// Crashed.
    case crashed
    /// Anything else the hypervisor reports.
    case unknown
}
