import Crypto

/// Why an advert datagram was refused.
public enum VRRPAdvertCodecError: Error, Sendable, Hashable {
    /// Not exactly ``VRRPAdvertCodec/size`` bytes (truncated or padded).
    case wrongLength
    /// The HMAC does not match: another key, or the bytes were changed.
    case badSignature
    /// Authenticated, but not magic `FVRP` version 1.
    case unsupportedVersion
    /// Authenticated, but the state byte is neither BACKUP nor MASTER.
    case badState
}

/// The advert datagram: fixed layout, big-endian integers, authenticated with HMAC-SHA256 over everything
/// before the tag. The tag is verified in constant time before any field is read.
///
/// ```
/// offset size field
///  0      4   magic "FVRP" (46 56 52 50)
///  4      1   version = 1
///  5      1   state: 1 = BACKUP, 2 = MASTER
///  6      1   priority: 1...255; 0 = resign (the sender has just released the VIP)
///  7      1   reserved: sent as 0, ignored
///  8      2   advert interval, milliseconds
/// 10     16   group = the VIP, IPv6 or IPv4-mapped (::ffff:a.b.c.d)
/// 26     16   sender = the sender's VRRP address, same encoding
/// 42      8   boot id (random per sender start)
/// 50      8   sequence (per boot, +1 per advert)
/// 58     32   HMAC-SHA256(key = UTF-8 of the pair's auth_key, bytes 0..<58)
/// ```
/// 90 bytes in all, sent over UDP to each peer's VRRP address and port.
public struct VRRPAdvertCodec: Sendable {
    /// Size of every advert datagram.
    public static let size = 90
    /// Version byte this build writes and reads.
    public static let version: UInt8 = 1
    static let magic: [UInt8] = Array("FVRP".utf8)
    static let bodySize = 58

    private let key: SymmetricKey

    /// Creates a codec for the pair's shared `auth_key`.
    public init(key: String) {
        self.key = SymmetricKey(data: Array(key.utf8))
    }

    /// The datagram for `advert`.
    public func seal(_ advert: VRRPAdvert) -> [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(Self.size)
        bytes += [Self.version, advert.state.rawValue, advert.priority, 0]
        bytes += Self.bigEndian(UInt64(advert.advertIntervalMs), count: 2)
        bytes += advert.group.bytes
        bytes += advert.sender.bytes
        bytes += Self.bigEndian(advert.bootId, count: 8)
        bytes += Self.bigEndian(advert.sequence, count: 8)
        return bytes + tag(bytes)
    }

    /// Verifies and decodes a datagram.
    public func open(_ datagram: some Collection<UInt8>) throws(VRRPAdvertCodecError) -> VRRPAdvert {
        let bytes = Array(datagram)
        guard bytes.count == Self.size else { throw .wrongLength }
        let body = bytes[..<Self.bodySize]
        guard HeartbeatCodec.constantTimeEqual(tag(body), bytes[Self.bodySize...]) else { throw .badSignature }
        guard bytes.starts(with: Self.magic), bytes[4] == Self.version else { throw .unsupportedVersion }
        guard let state = VRRPAdvert.State(rawValue: bytes[5]) else { throw .badState }
        return VRRPAdvert(
            group: VRRPAddress(sixteen: bytes[10..<26]), sender: VRRPAddress(sixteen: bytes[26..<42]),
            priority: bytes[6], state: state,
            advertIntervalMs: UInt16(Self.integer(bytes[8..<10])), bootId: Self.integer(bytes[42..<50]),
            sequence: Self.integer(bytes[50..<58]))
    }

    /// `body || HMAC(body)`, for tests of the checks after the HMAC.
    package func signForTesting(_ body: [UInt8]) -> [UInt8] { body + tag(body) }

    private func tag(_ body: some Collection<UInt8>) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(body), using: key))
    }

    private static func bigEndian(_ value: UInt64, count: Int) -> [UInt8] {
        (0..<count).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    private static func integer(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
