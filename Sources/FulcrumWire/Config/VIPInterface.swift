import Crypto
public import FoundationEssentials

/// The interface and prefix length a STANDALONE amphora holds its VIP with.
public struct VIPInterface: Codable, Sendable, Hashable {
    /// Interface on the VIP subnet (`eth1` in the amphora image).
    public var name: String
    /// The VIP subnet's prefix length.
    public var prefixLength: Int

    /// Creates a value.
    public init(name: String, prefixLength: Int) {
        self.name = name
        self.prefixLength = prefixLength
    }

    enum CodingKeys: String, CodingKey {
        case name
        case prefixLength = "prefix_length"
    }
}

extension VRRPConfig {
    /// The pair's advert key: HMAC-SHA256 of `group` (the load balancer id) under the deployment `secret`, 32 hex
    /// characters — different for every pair, stable across rebuilds, nothing to store.
    public static func derivedKey(secret: String, group: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Array(group.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return code.prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
