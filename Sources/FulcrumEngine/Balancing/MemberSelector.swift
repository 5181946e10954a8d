public import FulcrumWire

/// What the balancer knows of one member: its config plus live health and load.
public struct MemberCandidate: Sendable, Hashable {
    /// Member id.
    public var id: String
    /// 0...256; 0 drains.
    public var weight: Int
    /// Used only when no primary is eligible.
    public var backup: Bool
    /// `admin_state_up`.
    public var adminStateUp: Bool
    /// Health as the monitor sees it (true without a monitor).
    public var healthy: Bool
    /// Connections in flight now (LEAST_CONNECTIONS).
    public var active: Int

    /// Creates a candidate.
    public init(
        id: String, weight: Int, backup: Bool = false, adminStateUp: Bool = true, healthy: Bool = true, active: Int = 0
    ) {
        self.id = id
        self.weight = weight
        self.backup = backup
        self.adminStateUp = adminStateUp
        self.healthy = healthy
        self.active = active
    }

    /// May take new connections: admin up, weight > 0, not down.
    public var eligible: Bool { adminStateUp && weight > 0 && healthy }
}

/// The client's identity as the hashing algorithms see it.
public struct ClientKey: Sendable, Hashable {
    /// Source address text (numeric).
    public var address: String
    /// Source port.
    public var port: Int

    /// Creates a key.
    public init(address: String, port: Int) {
        self.address = address
        self.port = port
    }
}

/// A pool's balancing state machine, free of I/O: feed it the candidates, ask it for the next member.
///
/// ROUND_ROBIN is nginx's smooth weighted round robin; LEAST_CONNECTIONS picks the least `active / weight`
/// (ties rotate); SOURCE_IP and SOURCE_IP_PORT hash onto a consistent-hash ring with `weight × 40` points per
/// member, so a member leaving remaps only the clients it served. Backups serve only when no primary is eligible.
public struct MemberSelector: Sendable {
    /// The algorithm in force.
    public private(set) var algorithm: PoolConfig.Algorithm
    private var candidates: [MemberCandidate] = []
    /// ``serving`` for the current candidates, computed once per ``update(candidates:algorithm:)``.
    private var servingNow: [MemberCandidate] = []
    private var current: [String: Int] = [:]
    private var rotation = 0
    private var ring: ConsistentHashRing = .init()
    private var ringMembers: [String] = []

    /// Creates a selector.
    public init(algorithm: PoolConfig.Algorithm) {
        self.algorithm = algorithm
    }

    /// Replaces the candidate set (keeps smooth-RR progress of members that stay).
    public mutating func update(candidates: [MemberCandidate], algorithm: PoolConfig.Algorithm? = nil) {
        if let algorithm { self.algorithm = algorithm }
        self.candidates = candidates
        let primaries = candidates.filter { !$0.backup && $0.eligible }
        servingNow = primaries.isEmpty ? candidates.filter { $0.backup && $0.eligible } : primaries
        let ids = Set(candidates.map(\.id))
        current = current.filter { ids.contains($0.key) }
    }

    /// The members that may be picked now: eligible primaries, else eligible backups.
    public var serving: [MemberCandidate] { servingNow }

    /// Picks the member for a new connection or request, or nil when none can serve.
    public mutating func pick(for client: ClientKey) -> String? {
        let serving = self.serving
        guard !serving.isEmpty else { return nil }
        switch algorithm {
        case .roundRobin:
            return smoothWeightedRoundRobin(serving)
        case .leastConnections:
            return leastConnections(serving)
        case .sourceIP:
            return hashed(serving, key: client.address)
        case .sourceIPPort:
            return hashed(serving, key: "\(client.address):\(client.port)")
        }
    }

    private mutating func smoothWeightedRoundRobin(_ serving: [MemberCandidate]) -> String {
        var total = 0
        var best: MemberCandidate?
        var bestCurrent = Int.min
        for member in serving {
            let value = current[member.id, default: 0] + member.weight
            current[member.id] = value
            total += member.weight
            if value > bestCurrent {
                best = member
                bestCurrent = value
            }
        }
        let chosen = best!
        current[chosen.id]! -= total
        return chosen.id
    }

    private mutating func leastConnections(_ serving: [MemberCandidate]) -> String {
        rotation &+= 1
        let start = rotation % serving.count
        var best = serving[start]
        for offset in 1..<max(serving.count, 1) {
            let member = serving[(start + offset) % serving.count]
            // member.active / member.weight < best.active / best.weight, without division
            if member.active * best.weight < best.active * member.weight { best = member }
        }
        return best.id
    }

    private mutating func hashed(_ serving: [MemberCandidate], key: String) -> String {
        let ids = serving.map(\.id)
        if ids != ringMembers {
            ring = ConsistentHashRing(members: serving.map { ($0.id, $0.weight) })
            ringMembers = ids
        }
        return ring.member(for: key)!
    }
}
