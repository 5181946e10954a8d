/// Octavia's heartbeat message, version 3 (stats are deltas since the previous message), plus Fulcrum's
/// `boot_id` which lets the health manager reject replays (`seq` must grow within one boot).
public struct HeartbeatMessage: Codable, Sendable, Hashable {
    /// The version this build sends.
    public static let currentVersion = 3

    /// Amphora id.
    public var id: String
    /// Sequence number, increasing for the life of the sending process.
    public var seq: UInt64
    /// Listener id → status and delta counters.
    public var listeners: [String: Listener]
    /// `"<pool id>:<listener id>"` → pool and member statuses.
    public var pools: [String: Pool]
    /// Message version (3).
    public var ver: Int
    /// Identifies the sending process's boot; absent in Octavia's own messages.
    public var bootId: String?

    /// Creates a message.
    public init(
        id: String, seq: UInt64, listeners: [String: Listener] = [:], pools: [String: Pool] = [:],
        ver: Int = Self.currentVersion, bootId: String? = nil
    ) {
        self.id = id
        self.seq = seq
        self.listeners = listeners
        self.pools = pools
        self.ver = ver
        self.bootId = bootId
    }

    enum CodingKeys: String, CodingKey {
        case id, seq, listeners, pools, ver
        case bootId = "boot_id"
    }

    /// One listener's entry.
    public struct Listener: Codable, Sendable, Hashable {
        /// `OPEN` or `FULL`.
        public var status: String
        /// Delta counters (``Stats/conns`` is an absolute gauge).
        public var stats: Stats

        /// Creates an entry.
        public init(status: String, stats: Stats) {
            self.status = status
            self.stats = stats
        }
    }

    /// haproxy-derived counters: `rx`=bin, `tx`=bout, `conns`=scur, `totconns`=stot, `ereq`=ereq.
    public struct Stats: Codable, Sendable, Hashable {
        /// Bytes in (delta).
        public var rx: UInt64
        /// Bytes out (delta).
        public var tx: UInt64
        /// Current connections (absolute).
        public var conns: UInt64
        /// Connections (delta).
        public var totconns: UInt64
        /// Request errors (delta).
        public var ereq: UInt64

        /// Creates counters.
        public init(rx: UInt64 = 0, tx: UInt64 = 0, conns: UInt64 = 0, totconns: UInt64 = 0, ereq: UInt64 = 0) {
            self.rx = rx
            self.tx = tx
            self.conns = conns
            self.totconns = totconns
            self.ereq = ereq
        }
    }

    /// One pool's entry.
    public struct Pool: Codable, Sendable, Hashable {
        /// `UP` or `DOWN`.
        public var status: String
        /// Member id → `UP`, `DOWN`, `DRAIN`, `MAINT` or `no check`.
        public var members: [String: String]

        /// Creates an entry.
        public init(status: String, members: [String: String]) {
            self.status = status
            self.members = members
        }
    }
}

extension HeartbeatMessage {
    /// The JSON text Octavia's `health_daemon.build_stats_message` + `jsonutils.dumps` would produce for this
    /// message: keys in its insertion order (`id, seq, listeners, pools, ver`; stats `tx, rx, conns, totconns,
    /// ereq`), listener/pool/member ids sorted, `boot_id` appended last when present.
    public var pythonJSON: [UInt8] {
        var w = PythonJSONWriter()
        w.raw("{")
        w.string("id")
        w.raw(": ")
        w.string(id)
        w.raw(", ")
        w.string("seq")
        w.raw(": ")
        w.integer(seq)
        w.raw(", ")
        w.string("listeners")
        w.raw(": ")
        w.object(listeners.sorted { $0.key < $1.key }) { w, listener in
            w.raw("{\"status\": ")
            w.string(listener.status)
            w.raw(", \"stats\": ")
            let s = listener.stats
            w.object([("tx", s.tx), ("rx", s.rx), ("conns", s.conns), ("totconns", s.totconns), ("ereq", s.ereq)]) {
                $0.integer($1)
            }
            w.raw("}")
        }
        w.raw(", ")
        w.string("pools")
        w.raw(": ")
        w.object(pools.sorted { $0.key < $1.key }) { w, pool in
            w.raw("{\"status\": ")
            w.string(pool.status)
            w.raw(", \"members\": ")
            w.object(pool.members.sorted { $0.key < $1.key }) { $0.string($1) }
            w.raw("}")
        }
        w.raw(", ")
        w.string("ver")
        w.raw(": ")
        w.integer(ver)
        if let bootId {
            w.raw(", ")
            w.string("boot_id")
            w.raw(": ")
            w.string(bootId)
        }
        w.raw("}")
        return w.bytes
    }
}
