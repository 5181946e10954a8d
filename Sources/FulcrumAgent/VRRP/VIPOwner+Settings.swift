public import FulcrumWire

extension VIPOwner {
    /// What a ``VIPOwner`` needs from an ``AmphoraConfig``, validated.
    public struct Settings: Sendable, Hashable {
        /// The VIP as it is added and removed.
        public var vip: VIPAssignment
        /// The VIP as the adverts' group.
        public var group: VRRPAddress
        /// The config's VRRP block.
        public var vrrp: VRRPConfig
        /// Priority, peers and timing for the state machine.
        public var machine: VRRPStateMachine.Configuration

        /// The settings of an ACTIVE_STANDBY amphora: nil for STANDALONE or without a `vrrp` block; throws
        /// ``AgentError/Code/invalidConfig`` for a block the agent cannot run (IPv4 only for now).
        public init?(_ config: AmphoraConfig) throws(AgentError) {
            guard config.role != .standalone, let vrrp = config.vrrp else { return nil }
            func invalid(_ message: String) -> AgentError { AgentError(.invalidConfig, "vrrp: \(message)") }
            guard let address = VRRPAddress(vrrp.address), address.isIPv4 else {
                throw invalid("address \(vrrp.address) is not a numeric IPv4 address")
            }
            guard let group = VRRPAddress(config.vip), group.isIPv4 else {
                throw invalid("vip \(config.vip) is not a numeric IPv4 address")
            }
            var peers: [VRRPAddress] = []
            for peer in config.peers {
                guard let parsed = VRRPAddress(peer), parsed.isIPv4, parsed != address else {
                    throw invalid("peer \(peer) is not a numeric IPv4 address other than the own one")
                }
                peers.append(parsed)
            }
            guard let priority = UInt8(exactly: config.priority), priority > 0 else {
                throw invalid("priority \(config.priority) is outside 1...255")
            }
            guard (1...65535).contains(vrrp.port) else { throw invalid("port \(vrrp.port) is outside 1...65535") }
            guard VRRPConfig.advertIntervalRange.contains(vrrp.advertIntervalMs) else {
                throw invalid(
                    "advert_interval_ms \(vrrp.advertIntervalMs) is outside \(VRRPConfig.advertIntervalRange)")
            }
            guard (1...32).contains(vrrp.vipPrefixLength) else {
                throw invalid("vip_prefix_length \(vrrp.vipPrefixLength) is outside 1...32")
            }
            guard !vrrp.authKey.isEmpty else { throw invalid("auth_key is empty") }
            guard (0...100).contains(vrrp.garpCount), (0...10_000).contains(vrrp.garpIntervalMs) else {
                throw invalid("garp_count must be 0...100 and garp_interval_ms 0...10000")
            }
            guard Self.isInterfaceName(vrrp.interface) else {
                throw invalid("interface \(vrrp.interface) is not an interface name")
            }
            self.vip = VIPAssignment(address: config.vip, prefixLength: vrrp.vipPrefixLength, interface: vrrp.interface)
            self.group = group
            self.vrrp = vrrp
            self.machine = VRRPStateMachine.Configuration(
                address: address, priority: priority, peers: peers,
                advertInterval: .milliseconds(vrrp.advertIntervalMs), garpCount: vrrp.garpCount,
                garpInterval: .milliseconds(vrrp.garpIntervalMs), startupHold: Self.startupHold)
        }

        /// A (re)started owner listens this long before it may take the VIP (its peer's adverts may still go to
        /// the MAC address of the amphora it replaces until its own gratuitous ARPs are heard).
        public static let startupHold: Duration = .seconds(2)

        /// Whether `other` can be applied to a running owner: same VIP, interface, address, port and key (only
        /// priority, peers and timing differ). Otherwise the owner is replaced.
        public func hasSameBinding(as other: Settings) -> Bool {
            vip == other.vip && vrrp.address == other.vrrp.address && vrrp.port == other.vrrp.port
                && vrrp.authKey == other.vrrp.authKey
        }

        /// Linux interface names: 1 to 15 characters, letters, digits and `.`, `-`, `_`, `@`.
        static func isInterfaceName(_ name: String) -> Bool {
            (1...15).contains(name.utf8.count)
                && name.utf8.allSatisfy { byte in
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || Array(".-_@".utf8).contains(byte)
                }
        }
    }
}
