/// Replay check for authenticated adverts: per sender and boot id, an advert is fresh only when its sequence is
/// larger than the last one accepted.
///
/// Up to ``rememberedBoots`` boots are remembered per sender, so a packet recorded under a boot the receiver
/// has seen is refused even after the sender restarted. A packet from a boot the receiver never saw (captured
/// before the receiver started) is accepted once; refusing it too would need synchronized clocks or a
/// challenge, which the pair does not have.
public struct VRRPReplayGuard: Sendable, Hashable {
    /// Boots remembered per sender (the oldest is forgotten first).
    public static let rememberedBoots = 4

    private struct Seen: Sendable, Hashable {
        var bootId: UInt64
        var sequence: UInt64
    }

    private var seen: [VRRPAddress: [Seen]] = [:]

    /// Creates an empty guard.
    public init() {}

    /// Records `advert` and returns true when it is fresh; returns false (and records nothing) for a replay.
    public mutating func admit(_ advert: VRRPAdvert) -> Bool {
        var boots = seen[advert.sender] ?? []
        if let index = boots.firstIndex(where: { $0.bootId == advert.bootId }) {
            guard advert.sequence > boots[index].sequence else { return false }
            boots.remove(at: index)
        }
        boots.append(Seen(bootId: advert.bootId, sequence: advert.sequence))
        seen[advert.sender] = Array(boots.suffix(Self.rememberedBoots))
        return true
    }
}
