/// How one amphora of an ACTIVE_STANDBY pair takes part in VIP ownership (Fulcrum's engine-native replacement
/// for Octavia's keepalived `vrrp_instance`).
///
/// The pair's roles, priorities and peer addresses stay in ``AmphoraConfig`` (`role`, `priority`, `peers`);
/// this block adds what keepalived's template carried besides: the interface, this amphora's own VRRP address,
/// the advert timing and the shared key. The agent holds the VIP (``AmphoraConfig/vip``) with
/// `vipPrefixLength` on `interface` only while it is MASTER.
public struct VRRPConfig: Codable, Sendable, Hashable {
    /// Default UDP port of adverts.
    public static let defaultPort = 5557
    /// Default advert interval (keepalived `advert_int` 1 s).
    public static let defaultAdvertIntervalMs = 1000
    /// Advert intervals the agent accepts.
    public static let advertIntervalRange = 200...10_000
    /// Default number of gratuitous ARPs sent on taking the VIP.
    public static let defaultGarpCount = 3
    /// Default gap between those gratuitous ARPs.
    public static let defaultGarpIntervalMs = 500

    /// Interface on the VIP subnet (`eth1` in the amphora image).
    public var interface: String
    /// This amphora's own VRRP address on `interface` (Octavia's `vrrp_ip`); adverts are sent from it.
    public var address: String
    /// UDP port adverts are sent to and received on (the same on both amphorae).
    public var port: Int
    /// Milliseconds between a MASTER's adverts; a BACKUP takes over after three missed ones.
    public var advertIntervalMs: Int
    /// Prefix length the VIP is added with (the VIP subnet's).
    public var vipPrefixLength: Int
    /// Secret shared by the pair; keys the adverts' HMAC. Never logged.
    public var authKey: String
    /// Gratuitous ARPs sent on taking the VIP.
    public var garpCount: Int
    /// Milliseconds between those gratuitous ARPs.
    public var garpIntervalMs: Int

    /// Creates a VRRP block with the defaults for port and timing.
    public init(
        interface: String, address: String, port: Int = Self.defaultPort,
        advertIntervalMs: Int = Self.defaultAdvertIntervalMs, vipPrefixLength: Int, authKey: String,
        garpCount: Int = Self.defaultGarpCount, garpIntervalMs: Int = Self.defaultGarpIntervalMs
    ) {
        self.interface = interface
        self.address = address
        self.port = port
        self.advertIntervalMs = advertIntervalMs
        self.vipPrefixLength = vipPrefixLength
        self.authKey = authKey
        self.garpCount = garpCount
        self.garpIntervalMs = garpIntervalMs
    }

    enum CodingKeys: String, CodingKey {
        case interface = "interface"
        case address = "address"
        case port = "port"
        case advertIntervalMs = "advert_interval_ms"
        case vipPrefixLength = "vip_prefix_length"
        case authKey = "auth_key"
        case garpCount = "garp_count"
        case garpIntervalMs = "garp_interval_ms"
    }

    /// Decodes, applying the defaults to absent timing fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            interface: try c.decode(String.self, forKey: .interface),
            address: try c.decode(String.self, forKey: .address),
            port: try c.decodeIfPresent(Int.self, forKey: .port) ?? Self.defaultPort,
            advertIntervalMs: try c.decodeIfPresent(Int.self, forKey: .advertIntervalMs)
                ?? Self.defaultAdvertIntervalMs,
            vipPrefixLength: try c.decode(Int.self, forKey: .vipPrefixLength),
            authKey: try c.decode(String.self, forKey: .authKey),
            garpCount: try c.decodeIfPresent(Int.self, forKey: .garpCount) ?? Self.defaultGarpCount,
            garpIntervalMs: try c.decodeIfPresent(Int.self, forKey: .garpIntervalMs) ?? Self.defaultGarpIntervalMs
        )
    }
}

extension VRRPConfig: CustomStringConvertible, CustomDebugStringConvertible {
    /// Everything but the key.
    public var description: String {
        "VRRPConfig(interface: \(interface), address: \(address), port: \(port), "
            + "advertIntervalMs: \(advertIntervalMs), vipPrefixLength: \(vipPrefixLength), authKey: <redacted>, "
            + "garpCount: \(garpCount), garpIntervalMs: \(garpIntervalMs))"
    }

    /// Everything but the key.
    public var debugDescription: String { description }
}
