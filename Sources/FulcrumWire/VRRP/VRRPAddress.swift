/// An address in a VRRP advert: 16 bytes in network order, an IPv4 address stored IPv4-mapped
/// (`::ffff:a.b.c.d`). Ordered numerically, which is the split-brain tie-break (the lower address wins).
public struct VRRPAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 16 network-order bytes.
    public let bytes: [UInt8]

    /// Parses a numeric IPv4 or IPv6 address (no resolver); nil for anything else.
    public init?(_ text: String) {
        guard let parsed = IPAddressBytes.parse(text) else { return nil }
        self.bytes = parsed.count == 4 ? Self.mappedPrefix + parsed : parsed
    }

    /// Wraps 16 network-order bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        self.bytes = Array(bytes)
    }

    /// Wraps a slice the caller knows to hold 16 bytes.
    init(sixteen bytes: ArraySlice<UInt8>) {
        precondition(bytes.count == 16, "an address field is 16 bytes")
        self.bytes = Array(bytes)
    }

    /// Whether this is an IPv4 address (stored IPv4-mapped).
    public var isIPv4: Bool { bytes.starts(with: Self.mappedPrefix) }

    /// Dotted quad for IPv4; eight colon-separated hex groups (not compressed) for IPv6.
    public var description: String {
        if isIPv4 { return bytes[12...].map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    private static let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
}
