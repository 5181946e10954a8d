/// The health manager's operating-status roll-up (reference §3, Octavia's
/// `UpdateHealthDb.update_health`): a pure function from a load balancer snapshot and one
/// heartbeat to the new operating statuses.
public enum StatusRollup {
    /// Computes the new operating statuses. Unknown status strings leave an object unchanged,
    /// as Octavia only logs them.
    public static func compute(_ snapshot: Snapshot, report: Report) -> Result {
        var lb: OperatingStatus = snapshot.enabled ? .online : .offline
        var result = Result(loadBalancer: lb)

        for listener in snapshot.listeners {
            var status = listener.operatingStatus
            switch report.listeners[listener.id] {
            case nil:
                let expected = listener.enabled && snapshot.provisioningStatus == .active
                status = expected ? .error : .offline
            case "OPEN":
                status = .online
            case "FULL":
                status = .degraded
                if lb == .online { lb = .degraded }
            default:
                break
            }
            result.listeners[listener.id] = status
        }

        let pools = poolReports(report)
        let membersByPool = Dictionary(grouping: snapshot.members, by: \.poolID)
        for pool in snapshot.pools {
            guard let poolReport = pools[pool.id] else {
                // Absent from every listener's report: OFFLINE; its members keep their status.
                result.pools[pool.id] = .offline
                continue
            }
            var poolStatus: OperatingStatus? = nil
            switch poolReport.status {
            case "UP":
                poolStatus = .online
            case "DOWN":
                poolStatus = .error
                lb = .error
            default:
                break
            }
            for member in membersByPool[pool.id] ?? [] {
                let reported = poolReport.members[member.id]
                if reported?.hasPrefix("DOWN") == true, poolStatus == .online {
                    poolStatus = .degraded
                    if lb == .online { lb = .degraded }
                }
                result.members[member.id] = rollUp(member, reported: reported)
            }
            result.pools[pool.id] = poolStatus ?? pool.operatingStatus
        }

        // Members of pools the snapshot does not list keep their status.
        for member in snapshot.members where result.members[member.id] == nil {
            result.members[member.id] = member.operatingStatus
        }
        result.loadBalancer = lb
        return result
    }

    /// The operating-status writes that turn `snapshot` into `result`: one `.operating` change
    /// per object whose status differs, listeners first, then pools, members and the load
    /// balancer last (Octavia's order).
    public static func changes(from snapshot: Snapshot, to result: Result) -> [StatusChange] {
        var changes: [StatusChange] = []
        for listener in snapshot.listeners {
            if let new = result.listeners[listener.id], new != listener.operatingStatus {
                changes.append(.operating(ResourceRef(.listener, listener.id), new))
            }
        }
        for pool in snapshot.pools {
            if let new = result.pools[pool.id], new != pool.operatingStatus {
                changes.append(.operating(ResourceRef(.pool, pool.id), new))
            }
        }
        for member in snapshot.members {
            if let new = result.members[member.id], new != member.operatingStatus {
                changes.append(.operating(ResourceRef(.member, member.id), new))
            }
        }
        if result.loadBalancer != snapshot.operatingStatus {
            changes.append(.operating(ResourceRef(.loadBalancer, snapshot.loadBalancerID), result.loadBalancer))
        }
        return changes
    }

    /// The pool id of a heartbeat pool key: `"<pool>:<listener>"` loses its suffix.
    public static func poolID(fromKey key: String) -> String {
        guard let colon = key.lastIndex(of: ":") else { return key }
        return String(key[..<colon])
    }

    /// Pool reports keyed by pool id. When one pool is reported under several listeners the
    /// entry whose key sorts last wins, so the outcome does not depend on dictionary order.
    static func poolReports(_ report: Report) -> [String: PoolReport] {
        var pools: [String: PoolReport] = [:]
        for key in report.pools.keys.sorted() {
            pools[poolID(fromKey: key)] = report.pools[key]
        }
        return pools
    }

    /// One member's status from its reported string (reference §3 "Member").
    static func rollUp(_ member: MemberState, reported: String?) -> OperatingStatus {
        guard let reported else {
            return member.operatingStatus == .noMonitor ? .noMonitor : .offline
        }
        if reported.hasPrefix("UP") {
            return member.weight == 0 ? .draining : .online
        }
        if reported.hasPrefix("DOWN") { return .error }
        switch reported {
        case "DRAIN": return .draining
        case "MAINT": return .offline
        case "no check": return .noMonitor
        default: return member.operatingStatus  // RESTARTING or unknown: keep previous
        }
    }
}
