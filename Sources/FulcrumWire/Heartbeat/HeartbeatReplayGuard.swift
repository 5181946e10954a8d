/// Fulcrum's replay check for heartbeats (Octavia has none): per amphora, a message is fresh when it comes from
/// a new boot or carries a larger `seq` than the last accepted one of the same boot.
public struct HeartbeatReplayGuard: Sendable, Hashable {
    private var last: [String: (bootId: String, seq: UInt64)] = [:]

    /// Creates an empty guard.
    public init() {}

    /// Records `message` and returns true when it is fresh; returns false (and records nothing) for a replay.
    public mutating func admit(_ message: HeartbeatMessage) -> Bool {
        let boot = message.bootId ?? ""
        if let previous = last[message.id], previous.bootId == boot, message.seq <= previous.seq {
            return false
        }
        last[message.id] = (boot, message.seq)
        return true
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.last.mapValues { "\($0.bootId)#\($0.seq)" } == rhs.last.mapValues { "\($0.bootId)#\($0.seq)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(last.mapValues { "\($0.bootId)#\($0.seq)" })
    }
}
