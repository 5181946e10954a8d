/// A configured subnet on which VIPs (and VRRP addresses) are allocated.
public struct Subnet: Sendable, Codable, Hashable, Identifiable {
    /// Subnet id; Fulcrum uses the configured name unless an id is given.
    public var id: String
    public var name: String
    public var networkID: String
    public var cidr: IPv4Network
    public var gateway: IPv4Address?
    /// First and last address handed out by IPAM (inclusive).
    public var allocationStart: IPv4Address
    public var allocationEnd: IPv4Address
    /// The bridge that carries this subnet (lab or host mode).
    public var bridge: String

    /// Creates a subnet; the allocation range defaults to the usable hosts minus the gateway.
    public init(
        id: String? = nil,
        name: String,
        networkID: String? = nil,
        cidr: IPv4Network,
        gateway: IPv4Address? = nil,
        allocationStart: IPv4Address? = nil,
        allocationEnd: IPv4Address? = nil,
        bridge: String
    ) {
        self.id = id ?? name
        self.name = name
        self.networkID = networkID ?? "\(id ?? name)-net"
        self.cidr = cidr
        self.gateway = gateway
        let firstHost = IPv4Address(rawValue: cidr.networkAddress.rawValue &+ 1)
        let start =
            allocationStart ?? (gateway == firstHost ? IPv4Address(rawValue: firstHost.rawValue &+ 1) : firstHost)
        self.allocationStart = start
        self.allocationEnd = allocationEnd ?? IPv4Address(rawValue: cidr.broadcastAddress.rawValue &- 1)
        self.bridge = bridge
    }

    /// Problems with this subnet's definition, empty when it is valid.
    public func problems() -> [String] {
        var found: [String] = []
        if let gateway, !cidr.contains(gateway) { found.append("gateway \(gateway) is outside \(cidr)") }
        if !cidr.contains(allocationStart) { found.append("allocation start \(allocationStart) is outside \(cidr)") }
        if !cidr.contains(allocationEnd) { found.append("allocation end \(allocationEnd) is outside \(cidr)") }
        if allocationStart > allocationEnd { found.append("allocation start is after allocation end") }
        if bridge.isEmpty { found.append("bridge is empty") }
        return found
    }

    /// Whether IPAM may hand out `address` on this subnet.
    public func isAllocatable(_ address: IPv4Address) -> Bool {
        address >= allocationStart && address <= allocationEnd && address != gateway
    }
}
