/// One advert of Fulcrum's VRRP-like protocol between the amphorae of an ACTIVE_STANDBY pair.
///
/// A MASTER sends one to each peer every advert interval; a node that releases the VIP (engine fault, shutdown)
/// sends one with priority 0 so its peer takes over at once. The wire form is in ``VRRPAdvertCodec``.
public struct VRRPAdvert: Sendable, Hashable {
    /// The sender's state as announced.
    public enum State: UInt8, Sendable, Hashable {
        /// The sender does not hold the VIP (with priority 0: it has just released it).
        case backup = 1
        /// The sender holds the VIP.
        case master = 2
    }

    /// Priority of a resign advert: the sender has released the VIP and the peer should take it now.
    public static let resignPriority: UInt8 = 0

    /// The group: the VIP the pair shares (a load balancer has one VIP; the VIP is in every `AmphoraConfig`).
    public var group: VRRPAddress
    /// The sender's own VRRP address.
    public var sender: VRRPAddress
    /// The sender's priority (MASTER 100, BACKUP 90); 0 = resign.
    public var priority: UInt8
    /// The sender's state.
    public var state: State
    /// The sender's advert interval in milliseconds.
    public var advertIntervalMs: UInt16
    /// Chosen at random when the sender starts; with `sequence` it makes replays detectable.
    public var bootId: UInt64
    /// Grows by one with every advert the sender sends under `bootId`.
    public var sequence: UInt64

    /// Creates an advert.
    public init(
        group: VRRPAddress, sender: VRRPAddress, priority: UInt8, state: State, advertIntervalMs: UInt16,
        bootId: UInt64, sequence: UInt64
    ) {
        self.group = group
        self.sender = sender
        self.priority = priority
        self.state = state
        self.advertIntervalMs = advertIntervalMs
        self.bootId = bootId
        self.sequence = sequence
    }

    /// Whether this advert resigns the VIP (priority 0).
    public var isResign: Bool { priority == Self.resignPriority }
}
