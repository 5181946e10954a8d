import Crypto
import FoundationEssentials

/// Why a heartbeat datagram was refused.
public enum HeartbeatCodecError: Error, Sendable, Hashable {
    /// Longer than ``HeartbeatCodec/maxDatagramSize``.
    case tooLarge
    /// Too short to hold a digest and a payload.
    case tooShort
    /// Neither the hex nor the legacy raw HMAC matched.
    case badSignature
    /// The authenticated payload is not a zlib stream (or inflates beyond the limit).
    case badCompression
    /// The JSON is not a heartbeat message.
    case badMessage
}

/// Octavia's heartbeat envelope: `zlib.compress(json, 9) || hex(HMAC-SHA256(key, payload))`.
///
/// `open` verifies the HMAC — 64 lower-case hex characters first, then the legacy 32-byte raw digest — in
/// constant time before anything is decompressed or parsed.
public struct HeartbeatCodec: Sendable {
    /// Largest datagram accepted or produced.
    public static let maxDatagramSize = 64 * 1024
    /// Largest inflated JSON accepted.
    public static let maxInflatedSize = 1024 * 1024

    private let key: SymmetricKey

    /// Creates a codec for the deployment's `heartbeat_key`.
    public init(key: String) {
        self.key = SymmetricKey(data: Array(key.utf8))
    }

    /// `zlib.compress(utf8(json.dumps(message)), 9)`.
    public static func payload(for message: HeartbeatMessage) -> [UInt8] {
        Zlib.deflate(message.pythonJSON, level: 9)
    }

    /// The datagram for `message`.
    public func seal(_ message: HeartbeatMessage) throws(HeartbeatCodecError) -> [UInt8] {
        let payload = Self.payload(for: message)
        let datagram = payload + hexDigest(payload)
        guard datagram.count <= Self.maxDatagramSize else { throw .tooLarge }
        return datagram
    }

    /// Verifies and decodes a datagram.
    public func open(_ datagram: [UInt8]) throws(HeartbeatCodecError) -> HeartbeatMessage {
        guard datagram.count <= Self.maxDatagramSize else { throw .tooLarge }
        let payload: ArraySlice<UInt8>
        if datagram.count > 64, Self.constantTimeEqual(hexDigest(datagram.dropLast(64)), datagram.suffix(64)) {
            payload = datagram.dropLast(64)
        } else if datagram.count > 32, Self.constantTimeEqual(rawDigest(datagram.dropLast(32)), datagram.suffix(32)) {
            payload = datagram.dropLast(32)
        } else {
            throw datagram.count <= 32 ? .tooShort : .badSignature
        }
        guard let json = Zlib.inflate(payload, limit: Self.maxInflatedSize) else { throw .badCompression }
        do {
            return try JSONDecoder().decode(HeartbeatMessage.self, from: Data(json))
        } catch {
            throw .badMessage
        }
    }

    /// zlib-9 of arbitrary bytes, for tests of the decoder's later stages.
    package static func payloadForTesting(json: [UInt8]) -> [UInt8] { Zlib.deflate(json, level: 9) }

    /// `payload || hexdigest`, for tests of the decoder's later stages.
    package func signForTesting(_ payload: [UInt8]) -> [UInt8] { payload + hexDigest(payload) }

    private func rawDigest(_ payload: some Collection<UInt8>) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(payload), using: key))
    }

    private func hexDigest(_ payload: some Collection<UInt8>) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in rawDigest(payload) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return hex
    }

    /// Compares equal-length byte strings without an early exit.
    static func constantTimeEqual(_ a: [UInt8], _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
