import FulcrumWire
import Synchronization

/// A member picked for one connection or request; `release()` must be called exactly once when it ends.
/// A class: the HTTP proxy's state machine matches the lease several times per request, and a struct's five
/// reference-counted fields were retained and released at every match.
final class MemberLease: Sendable {
    let upstreamKey: UpstreamKey
    let counters: TrafficCounters
    let pool: PoolRuntime
    /// HTTP_COOKIE persistence: the `SRV` cookie value to set on the response (nil when the client has it).
    let setCookie: String?

    var memberId: String { upstreamKey.memberId }
    var address: String { upstreamKey.host }
    var port: Int { upstreamKey.port }

    init(upstreamKey: UpstreamKey, counters: TrafficCounters, pool: PoolRuntime, setCookie: String? = nil) {
        self.upstreamKey = upstreamKey
        self.counters = counters
        self.pool = pool
        self.setCookie = setCookie
    }

    func release() { pool.release(memberId) }
}

/// The live state of one pool: config, selector, per-member health, load and counters. Shared by all event
/// loops behind a `Mutex` (the critical sections are a few dictionary operations).
final class PoolRuntime: Sendable {
    struct Member: Sendable {
        var config: MemberConfig {
            didSet { upstreamKey = Self.upstreamKey(config) }
        }
        var health: MemberHealth
        var active = 0
        let counters: TrafficCounters
        /// The pooled-connection key of this member, made once rather than per request.
        private(set) var upstreamKey: UpstreamKey

        init(config: MemberConfig, health: MemberHealth, counters: TrafficCounters) {
            self.config = config
            self.health = health
            self.counters = counters
            upstreamKey = Self.upstreamKey(config)
        }

        private static func upstreamKey(_ config: MemberConfig) -> UpstreamKey {
            UpstreamKey(memberId: config.id, host: config.address, port: config.port)
        }
    }

    struct State: Sendable {
        var config: PoolConfig
        var selector: MemberSelector
        var members: [String: Member]
        var order: [String]
        /// SOURCE_IP persistence: client address → member id, at most ``PoolRuntime/stickyCapacity`` entries.
        var sticky: [String: String] = [:]
        var stickyOrder: [String] = []
        /// APP_COOKIE persistence: application cookie value → member id, same capacity.
        var appCookies: [String: String] = [:]
        var appCookieOrder: [String] = []
        /// The selector's candidates need rebuilding (config, health or the excluded set changed). Only
        /// LEAST_CONNECTIONS reads `active`, so it rebuilds on every pick.
        var candidatesStale = true
    }

    /// haproxy's stick table size in Octavia's template.
    static let stickyCapacity = 10_000
    /// HTTP_COOKIE persistence cookie (haproxy `cookie SRV insert indirect nocache`).
    static let persistenceCookie = "SRV"

    let id: String
    private let state: Mutex<State>
    /// The persistence kind in force, readable without the lock (nil: none).
    private let persistenceRaw = Atomic<UInt8>(0)

    init(config: PoolConfig) {
        self.id = config.id
        self.state = Mutex(
            State(config: config, selector: MemberSelector(algorithm: config.algorithm), members: [:], order: []))
        update(config)
    }

    var config: PoolConfig { state.withLock { $0.config } }

    /// Applies a new pool config, keeping health, load and counters of members that stay.
    func update(_ config: PoolConfig) {
        state.withLock { state in
            state.config = config
            let monitor = config.healthMonitor
            var members: [String: Member] = [:]
            for member in config.members {
                var health = state.members[member.id]?.health ?? MemberHealth(rise: 1, fall: 1)
                health.rise = max(monitor?.maxRetries ?? 1, 1)
                health.fall = max(monitor?.maxRetriesDown ?? 3, 1)
                if var existing = state.members[member.id] {
                    existing.config = member
                    existing.health = health
                    members[member.id] = existing
                } else {
                    members[member.id] = Member(config: member, health: health, counters: TrafficCounters())
                }
            }
            state.members = members
            state.order = config.members.map(\.id)
            state.selector.update(candidates: [], algorithm: config.algorithm)
            state.candidatesStale = true
        }
        let kind: UInt8 =
            switch config.sessionPersistence?.type {
            case nil: 0
            case .sourceIP: 1
            case .httpCookie: 2
            case .appCookie: 3
            }
        persistenceRaw.store(kind, ordering: .relaxed)
    }

    /// The persistence kind in force, without taking the lock.
    var persistenceKind: SessionPersistence.Kind? {
        switch persistenceRaw.load(ordering: .relaxed) {
        case 1: .sourceIP
        case 2: .httpCookie
        case 3: .appCookie
        default: nil
        }
    }

    private var monitored: Bool {
        state.withLock { $0.config.healthMonitor?.adminStateUp ?? false }
    }

    /// Picks a member and counts a connection on it.
    /// Picks a member and counts a connection on it. Session persistence goes first: SOURCE_IP keeps a client
    /// address on its member, HTTP_COOKIE honours `preferred` (the request's `SRV` cookie) while that member serves.
    func lease(for client: ClientKey, excluding: [String] = [], preferred: String? = nil) -> MemberLease? {
        state.withLock { state in
            if state.candidatesStale || !excluding.isEmpty || state.selector.algorithm == .leastConnections {
                let monitoredNow = state.config.healthMonitor?.adminStateUp ?? false
                let candidates = state.order.compactMap { id -> MemberCandidate? in
                    guard let m = state.members[id], !excluding.contains(id) else { return nil }
                    return MemberCandidate(
                        id: id, weight: m.config.weight, backup: m.config.backup, adminStateUp: m.config.adminStateUp,
                        healthy: !monitoredNow || m.health.isUp, active: m.active)
                }
                state.selector.update(candidates: candidates)
                state.candidatesStale = !excluding.isEmpty
            }
            let persistence = state.config.sessionPersistence?.type
            func serving(_ id: String?) -> String? {
                guard let id, state.selector.serving.contains(where: { $0.id == id }) else { return nil }
                return id
            }
            var chosen: String?
            switch persistence {
            case .sourceIP: chosen = serving(state.sticky[client.address])
            case .httpCookie: chosen = serving(preferred)
            case .appCookie: chosen = serving(preferred.flatMap { state.appCookies[$0] })
            default: break
            }
            guard let id = chosen ?? state.selector.pick(for: client), var member = state.members[id] else {
                return nil
            }
            if persistence == .sourceIP, state.sticky[client.address] != id {
                if state.sticky[client.address] == nil {
                    state.stickyOrder.append(client.address)
                    if state.stickyOrder.count > Self.stickyCapacity {
                        state.sticky[state.stickyOrder.removeFirst()] = nil
                    }
                }
                state.sticky[client.address] = id
            }
            member.active += 1
            state.members[id] = member
            member.counters.opened()
            return MemberLease(
                upstreamKey: member.upstreamKey, counters: member.counters, pool: self,
                setCookie: persistence == .httpCookie && preferred != id ? id : nil)
        }
    }

    /// The persistence kind and APP_COOKIE name in force.
    var persistence: SessionPersistence? { state.withLock { $0.config.sessionPersistence } }

    /// APP_COOKIE: remembers that the member answered with `value` for the application cookie.
    func learnAppCookie(_ value: String, memberId: String) {
        state.withLock { state in
            if state.appCookies[value] == nil {
                state.appCookieOrder.append(value)
                if state.appCookieOrder.count > Self.stickyCapacity {
                    state.appCookies[state.appCookieOrder.removeFirst()] = nil
                }
            }
            state.appCookies[value] = memberId
        }
    }

    func release(_ memberId: String) {
        state.withLock { state in
            if var member = state.members[memberId] {
                member.active -= 1
                state.members[memberId] = member
            }
        }
        // counters live on even if the member was removed meanwhile
    }

    /// Records a health-check result; returns the transition, if any.
    @discardableResult
    func recordCheck(memberId: String, success: Bool) -> MemberHealth.Transition? {
        state.withLock { state in
            guard var member = state.members[memberId] else { return nil }
            let transition = member.health.record(success: success)
            state.members[memberId] = member
            if transition != nil { state.candidatesStale = true }
            return transition
        }
    }

    /// Check targets: (member id, address, port) using the monitor address/port when set.
    var checkTargets: [(id: String, address: String, port: Int)] {
        state.withLock { state in
            state.order.compactMap { id in
                guard let m = state.members[id], m.config.adminStateUp else { return nil }
                return (id, m.config.monitorAddress ?? m.config.address, m.config.monitorPort ?? m.config.port)
            }
        }
    }

    /// Member id → Octavia status string, and the pool status (`UP` when some member serves or none exist).
    var statuses: (pool: String, members: [String: String]) {
        state.withLock { state in
            let monitoredNow = state.config.healthMonitor?.adminStateUp ?? false
            var result: [String: String] = [:]
            var anyUp = false
            for id in state.order {
                guard let m = state.members[id] else { continue }
                let status = MemberHealth.status(
                    adminStateUp: m.config.adminStateUp, weight: m.config.weight, monitored: monitoredNow,
                    health: m.health)
                result[id] = status.rawValue
                if status == .up || status == .noCheck || status == .drain { anyUp = true }
            }
            return (anyUp || state.order.isEmpty ? "UP" : "DOWN", result)
        }
    }

    /// Each member in configuration order with its status and counters (for the metrics exposition).
    var memberMetrics: [(id: String, status: MemberStatus, counters: TrafficCounters)] {
        state.withLock { state in
            let monitoredNow = state.config.healthMonitor?.adminStateUp ?? false
            return state.order.compactMap { id in
                guard let m = state.members[id] else { return nil }
                let status = MemberHealth.status(
                    adminStateUp: m.config.adminStateUp, weight: m.config.weight, monitored: monitoredNow,
                    health: m.health)
                return (id, status, m.counters)
            }
        }
    }

    var memberCounters: [String: TrafficStats] {
        state.withLock { state in state.members.mapValues { $0.counters.snapshot } }
    }
}
