/// Member status strings as Octavia's heartbeat carries them.
public enum MemberStatus: String, Sendable, Hashable, CaseIterable {
    /// Checked and healthy.
    case up = "UP"
    /// Checked and failing.
    case down = "DOWN"
    /// Weight 0: no new connections.
    case drain = "DRAIN"
    /// `admin_state_up = false`.
    case maint = "MAINT"
    /// No (enabled) health monitor.
    case noCheck = "no check"
}

/// rise/fall health of one member, free of I/O: feed it check results, read `isUp`.
///
/// Like haproxy, a member starts UP; `fall` consecutive failures take it DOWN and `rise` consecutive successes
/// bring it back (`rise` = Octavia `max_retries`, `fall` = `max_retries_down`).
public struct MemberHealth: Sendable, Hashable {
    /// Successes needed to go UP.
    public var rise: Int
    /// Failures needed to go DOWN.
    public var fall: Int
    /// Current verdict.
    public private(set) var isUp = true
    private var streak = 0

    /// Creates the state of a member that has not been checked yet.
    public init(rise: Int, fall: Int) {
        self.rise = max(rise, 1)
        self.fall = max(fall, 1)
    }

    /// The transition a check result caused, if any.
    public enum Transition: Sendable, Hashable {
        /// DOWN → UP.
        case wentUp
        /// UP → DOWN.
        case wentDown
    }

    /// Records one check result.
    public mutating func record(success: Bool) -> Transition? {
        if success == isUp {
            streak = 0
            return nil
        }
        streak += 1
        if success, streak >= rise {
            isUp = true
            streak = 0
            return .wentUp
        }
        if !success, streak >= fall {
            isUp = false
            streak = 0
            return .wentDown
        }
        return nil
    }

    /// The status reported for a member with this health.
    public static func status(adminStateUp: Bool, weight: Int, monitored: Bool, health: MemberHealth) -> MemberStatus {
        if !adminStateUp { return .maint }
        if monitored, !health.isUp { return .down }
        if weight == 0 { return .drain }
        return monitored ? .up : .noCheck
    }
}
