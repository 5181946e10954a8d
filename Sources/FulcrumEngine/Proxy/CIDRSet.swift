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

/// Numeric address parsing without the resolver.
enum IPAddressBytes {
    static func parse(_ text: String) -> [UInt8]? {
        text.contains(":") ? parseV6(text) : parseV4(text)
    }

    static func parseV4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, let value = UInt8(part) else { return nil }
            out.append(value)
        }
        return out
    }

    static func parseV6(_ text: String) -> [UInt8]? {
        var halves = [text]
        if let gap = text.firstRange(of: "::") {
            halves = [String(text[..<gap.lowerBound]), String(text[gap.upperBound...])]
            guard !halves[1].contains("::") else { return nil }
        }
        func groups(_ s: String) -> [UInt8]? {
            if s.isEmpty { return [] }
            var out: [UInt8] = []
            let pieces = s.split(separator: ":", omittingEmptySubsequences: false)
            for (i, piece) in pieces.enumerated() {
                if i == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseV4(String(piece)) else { return nil }
                    out += v4
                } else {
                    guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                    out += [UInt8(value >> 8), UInt8(value & 0xFF)]
                }
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 16 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
