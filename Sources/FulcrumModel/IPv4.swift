/// An IPv4 address as a 32-bit number.
public struct IPv4Address: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, LosslessStringConvertible {
    public var rawValue: UInt32

    /// Creates an address from its numeric value.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Parses dotted-quad notation; `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt8(part) else {
                return nil
            }
            if part.count > 1 && part.first == "0" { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.rawValue = value
    }

    public var description: String {
        "\(rawValue >> 24).\(rawValue >> 16 & 0xff).\(rawValue >> 8 & 0xff).\(rawValue & 0xff)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let address = IPv4Address(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an IPv4 address: \(text)"))
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An IPv4 network in CIDR notation.
public struct IPv4Network: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    public var networkAddress: IPv4Address
    public var prefixLength: Int

    /// Creates a network; host bits of `address` are cleared.
    public init?(address: IPv4Address, prefixLength: Int) {
        guard (0...32).contains(prefixLength) else { return nil }
        self.prefixLength = prefixLength
        self.networkAddress = IPv4Address(rawValue: address.rawValue & Self.mask(prefixLength))
    }

    /// Parses `a.b.c.d/n`; rejects host bits set, as Neutron does.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(String(parts[0])),
            let length = Int(parts[1]), (0...32).contains(length),
            address.rawValue & ~Self.mask(length) == 0
        else { return nil }
        self.init(address: address, prefixLength: length)
    }

    private static func mask(_ length: Int) -> UInt32 {
        length == 0 ? 0 : UInt32.max << UInt32(32 - length)
    }

    /// The last address of the network.
    public var broadcastAddress: IPv4Address {
        IPv4Address(rawValue: networkAddress.rawValue | ~Self.mask(prefixLength))
    }

    /// Whether `address` is inside the network.
    public func contains(_ address: IPv4Address) -> Bool {
        address.rawValue & Self.mask(prefixLength) == networkAddress.rawValue
    }

    public var description: String { "\(networkAddress)/\(prefixLength)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let network = IPv4Network(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an IPv4 CIDR: \(text)"))
        }
        self = network
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
