/// Chooses a host for a new amphora (pure, so it is tested without libvirt).
enum HostPlacement {
    /// What placement knows about one host.
    struct Candidate: Equatable {
        var uri: String
        var amphorae: Int
        var antiAffinityGroups: [String]
    }

    /// The index of the chosen host, or nil when there is none. Anti-affinity is soft: a host without a member
    /// of `group` is preferred, but with fewer hosts than members the least loaded host still takes it.
    static func choose(
        _ candidates: [Candidate], group: String?, policy: LibvirtConfiguration.Placement
    ) -> Int? {
        guard !candidates.isEmpty else { return nil }
        var indices = Array(candidates.indices)
        if let group {
            let apart = indices.filter { !candidates[$0].antiAffinityGroups.contains(group) }
            if !apart.isEmpty { indices = apart }
        }
        switch policy {
        case .first:
            return indices.first
        case .leastLoaded:
            return indices.min { candidates[$0].amphorae < candidates[$1].amphorae }
        }
    }
}
