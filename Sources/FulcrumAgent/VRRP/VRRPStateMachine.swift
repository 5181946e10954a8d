public import FulcrumWire

/// VIP ownership of one amphora of an ACTIVE_STANDBY pair, as a value: events in, actions out, no I/O.
///
/// Time is the `Duration` since the owner started, passed in with every event. The rules:
/// - **Start** as BACKUP and remove the VIP (a previous agent process may have left it); wait
///   ``masterDownInterval`` (3 advert intervals plus a skew of (256 − priority)/256 of one) for a MASTER.
/// - A **BACKUP** that hears no MASTER for ``masterDownInterval`` becomes MASTER: it adds the VIP, sends a
///   gratuitous ARP (`garpCount` in all, `garpInterval` apart) and advertises every interval.
/// - **No preemption**: a BACKUP that hears a MASTER stays BACKUP whatever the priorities.
/// - **Split brain** (a MASTER hears a MASTER): the higher priority keeps the VIP; on equal priority the lower
///   address keeps it. The loser removes the VIP and becomes BACKUP; the winner answers at once with an advert
///   and a gratuitous ARP.
/// - **Resign**: a MASTER whose engine stops serving goes to FAULT, removes the VIP and sends one advert of
///   priority 0; a BACKUP that hears it takes over at once. FAULT returns to BACKUP when the engine serves
///   again, without preempting. ``stop()`` resigns the same way.
public struct VRRPStateMachine: Sendable {
    /// Where the node stands.
    public enum State: String, Sendable, Hashable {
        /// Not started.
        case initial = "INITIAL"
        /// Not holding the VIP; waiting for a MASTER to go silent.
        case backup = "BACKUP"
        /// Holding the VIP and advertising.
        case master = "MASTER"
        /// The engine is not serving: not holding the VIP and not taking it.
        case fault = "FAULT"
    }

    /// What the owner must do, in order.
    public enum Action: Sendable, Hashable {
        /// Add the VIP to the interface.
        case addVIP
        /// Remove the VIP from the interface.
        case removeVIP
        /// Send one gratuitous ARP for the VIP.
        case sendGratuitousARP
        /// Send an advert to every peer.
        case sendAdvert(VRRPAdvert.State, priority: UInt8)
    }

    /// The node's part in the protocol.
    public struct Configuration: Sendable, Hashable {
        /// This node's VRRP address (the split-brain tie-break).
        public var address: VRRPAddress
        /// 1...255 (MASTER 100, BACKUP 90).
        public var priority: UInt8
        /// The other members' VRRP addresses; adverts from anyone else are ignored.
        public var peers: [VRRPAddress]
        /// Time between a MASTER's adverts.
        public var advertInterval: Duration
        /// Gratuitous ARPs on taking the VIP.
        public var garpCount: Int
        /// Time between those gratuitous ARPs.
        public var garpInterval: Duration
        /// Shortest wait after start before a BACKUP may take over: a node (re)started next to a MASTER must hear it
        /// first, even when the MASTER's adverts need a moment to reach its new MAC address (neighbour caches).
        public var startupHold: Duration

        /// Creates a configuration.
        public init(
            address: VRRPAddress, priority: UInt8, peers: [VRRPAddress], advertInterval: Duration,
            garpCount: Int = VRRPConfig.defaultGarpCount,
            garpInterval: Duration = .milliseconds(VRRPConfig.defaultGarpIntervalMs),
            startupHold: Duration = .zero
        ) {
            self.startupHold = startupHold
            self.address = address
            self.priority = max(priority, 1)
            self.peers = peers
            self.advertInterval = advertInterval
            self.garpCount = garpCount
            self.garpInterval = garpInterval
        }
    }

    /// The current state.
    public private(set) var state: State = .initial
    /// The configuration in force.
    public private(set) var configuration: Configuration
    /// Whether the engine was serving at the last report.
    public private(set) var engineHealthy = true
    /// Times this BACKUP took the VIP because the MASTER fell silent (three intervals and the skew).
    public private(set) var silentPeerTakeovers: UInt64 = 0
    /// Times this BACKUP took the VIP at once because the MASTER resigned (an authenticated priority-0 advert).
    public private(set) var resignTakeovers: UInt64 = 0
    /// BACKUP: the moment of the last MASTER advert heard, or of becoming BACKUP.
    private var backupSince: Duration = .zero
    /// The advert interval the current MASTER announced (it may differ during a rolling change).
    private var peerInterval: Duration?
    /// MASTER: when the next advert is due.
    private var nextAdvertAt: Duration = .zero
    /// MASTER: gratuitous ARPs still to send and when the next is due.
    private var pendingGARPs = 0
    private var nextGARPAt: Duration = .zero

    /// Creates a machine in ``State/initial``.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// The skew VRRP adds to the master-down interval: (256 − priority)/256 of an advert interval.
    public var skew: Duration {
        configuration.advertInterval * (256 - Int(configuration.priority)) / 256
    }

    /// How long a BACKUP waits without MASTER adverts before taking over: 3 × the (announced) interval + skew.
    public var masterDownInterval: Duration {
        max(configuration.advertInterval, peerInterval ?? .zero) * 3 + skew
    }

    /// BACKUP: the moment it takes over if it hears nothing; nil in other states.
    public var takeoverDeadline: Duration? {
        state == .backup ? backupSince + masterDownInterval : nil
    }

    /// The next moment a ``tick(now:)`` would act: a BACKUP's takeover, a MASTER's next advert or gratuitous
    /// ARP; nil when only events can change anything.
    public var nextDeadline: Duration? {
        switch state {
        case .initial, .fault: nil
        case .backup: takeoverDeadline
        case .master: pendingGARPs > 0 ? min(nextAdvertAt, nextGARPAt) : nextAdvertAt
        }
    }

    /// Starts: BACKUP (or FAULT when the engine is not serving), with the VIP removed.
    public mutating func start(now: Duration) -> [Action] {
        guard state == .initial else { return [] }
        if engineHealthy {
            becomeBackup(now: now)
            // the first deadline is no earlier than startupHold
            backupSince = now + max(.zero, configuration.startupHold - masterDownInterval)
        } else {
            state = .fault
        }
        return [.removeVIP]
    }

    /// Time passed: a BACKUP takes over when its deadline passed; a MASTER advertises and repeats its
    /// gratuitous ARPs when due.
    public mutating func tick(now: Duration) -> [Action] {
        switch state {
        case .initial, .fault:
            return []
        case .backup:
            guard let deadline = takeoverDeadline, now >= deadline else { return [] }
            silentPeerTakeovers += 1
            return becomeMaster(now: now)
        case .master:
            var actions: [Action] = []
            if pendingGARPs > 0, now >= nextGARPAt {
                pendingGARPs -= 1
                nextGARPAt = now + configuration.garpInterval
                actions.append(.sendGratuitousARP)
            }
            if now >= nextAdvertAt {
                nextAdvertAt = now + configuration.advertInterval
                actions.append(.sendAdvert(.master, priority: configuration.priority))
            }
            return actions
        }
    }

    /// An authenticated, fresh advert of the group arrived (adverts from non-peers and from this node itself are
    /// ignored).
    public mutating func advertReceived(
        from sender: VRRPAddress, priority: UInt8, state advertised: VRRPAdvert.State, interval: Duration,
        now: Duration
    ) -> [Action] {
        guard isPeer(sender) else { return [] }
        if priority == VRRPAdvert.resignPriority {
            // the holder released the VIP: a BACKUP takes it without waiting for three silent intervals
            guard state == .backup else { return [] }
            resignTakeovers += 1
            return becomeMaster(now: now)
        }
        guard advertised == .master else { return [] }
        switch state {
        case .initial:
            return []
        case .fault:
            peerInterval = interval
            return []
        case .backup:
            peerInterval = interval
            backupSince = now
            return []
        case .master:
            guard Self.wins((priority, sender), over: (configuration.priority, configuration.address)) else {
                // we keep the VIP: tell the other MASTER now and point the neighbours back at us
                nextAdvertAt = now + configuration.advertInterval
                return [.sendAdvert(.master, priority: configuration.priority), .sendGratuitousARP]
            }
            peerInterval = interval
            becomeBackup(now: now)
            return [.removeVIP]
        }
    }

    /// The engine started or stopped serving every listener.
    public mutating func engineHealthChanged(_ healthy: Bool, now: Duration) -> [Action] {
        guard healthy != engineHealthy else { return [] }
        engineHealthy = healthy
        switch (state, healthy) {
        case (.initial, _):
            return []
        case (.master, false):
            state = .fault
            pendingGARPs = 0
            return [.removeVIP, .sendAdvert(.backup, priority: VRRPAdvert.resignPriority)]
        case (.backup, false):
            state = .fault
            return []
        case (.fault, true):
            becomeBackup(now: now)
            return []
        case (.fault, false), (.backup, true), (.master, true):
            return []
        }
    }

    /// A new priority, peer list or timing (the address and VIP do not change under a running machine). A MASTER
    /// keeps the VIP and advertises the new values at once.
    public mutating func configChanged(_ new: Configuration, now: Duration) -> [Action] {
        guard new != configuration else { return [] }
        configuration = new
        guard state == .master else { return [] }
        nextAdvertAt = now + configuration.advertInterval
        return [.sendAdvert(.master, priority: configuration.priority)]
    }

    /// Stops: a MASTER removes the VIP and resigns so its peer takes over at once; everyone else just stops.
    public mutating func stop() -> [Action] {
        let wasMaster = state == .master
        state = .initial
        pendingGARPs = 0
        return wasMaster ? [.removeVIP, .sendAdvert(.backup, priority: VRRPAdvert.resignPriority)] : []
    }

    /// Whether adverts from `address` count (a configured peer other than this node).
    public func isPeer(_ address: VRRPAddress) -> Bool {
        address != configuration.address && configuration.peers.contains(address)
    }

    /// Whether `a` keeps the VIP over `b` when both are MASTER: higher priority, then lower address.
    static func wins(_ a: (UInt8, VRRPAddress), over b: (UInt8, VRRPAddress)) -> Bool {
        a.0 != b.0 ? a.0 > b.0 : a.1 < b.1
    }

    private mutating func becomeBackup(now: Duration) {
        state = .backup
        backupSince = now
        pendingGARPs = 0
    }

    private mutating func becomeMaster(now: Duration) -> [Action] {
        state = .master
        nextAdvertAt = now + configuration.advertInterval
        pendingGARPs = max(configuration.garpCount - 1, 0)
        nextGARPAt = now + configuration.garpInterval
        var actions: [Action] = [.addVIP]
        if configuration.garpCount > 0 { actions.append(.sendGratuitousARP) }
        actions.append(.sendAdvert(.master, priority: configuration.priority))
        return actions
    }
}
