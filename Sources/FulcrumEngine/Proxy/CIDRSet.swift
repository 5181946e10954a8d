import FulcrumWire

/// `allowed_cidrs` as a matcher over numeric IPv4/IPv6 addresses; empty allows everyone.
public struct CIDRSet: Sendable, Hashable {
    private var blocks: [(bits: [UInt8], prefix: Int)] = []
    /// The entries that could not be parsed (ignored, which fails closed for them).
    public private(set) var invalid: [String] = []

    /// Parses `10.0.0.0/8`, `2001:db8::/32` or bare addresses.
    public init(_ cidrs: [String]) {
        for cidr in cidrs {
            let parts = cidr.split(separator: "/", maxSplits: 1)
            guard let bytes = IPAddressBytes.parse(String(parts[0])) else {
                invalid.append(cidr)
                continue
            }
            let prefix = parts.count == 2 ? Int(parts[1]) ?? -1 : bytes.count * 8
            guard (0...(bytes.count * 8)).contains(prefix) else {
                invalid.append(cidr)
                continue
            }
            blocks.append((bytes, prefix))
        }
    }

    /// True when no CIDR is configured (and none was invalid).
    public var allowsEveryone: Bool { blocks.isEmpty && invalid.isEmpty }

    /// Whether `address` is inside one of the blocks.
    public func contains(_ address: String) -> Bool {
        if allowsEveryone { return true }
        guard var bytes = IPAddressBytes.parse(address) else { return false }
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            bytes = Array(bytes[12...])  // IPv4-mapped IPv6
        }
        return blocks.contains { block in
            guard block.bits.count == bytes.count else { return false }
            var remaining = block.prefix
            for (a, b) in zip(block.bits, bytes) where remaining > 0 {
                let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
                if a & mask != b & mask { return false }
                remaining -= 8
            }
            return true
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.blocks.map(\.bits) == rhs.blocks.map(\.bits) && lhs.blocks.map(\.prefix) == rhs.blocks.map(\.prefix)
            && lhs.invalid == rhs.invalid
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(blocks.map(\.bits))
        hasher.combine(blocks.map(\.prefix))
    }
}
