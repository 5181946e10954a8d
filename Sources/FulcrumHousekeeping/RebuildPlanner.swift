public import Foundation
public import FulcrumModel

/// Decides which failed amphorae to rebuild on one housekeeping scan: I/O-free, so every rule has a test.
///
/// An amphora is *failed* when it is `ALLOCATED` and stale (no heartbeat for the health manager's timeout) or
/// its VM is gone or stopped, or when it is `ERROR` (a failed earlier rebuild: retried with exponential backoff
/// instead of Octavia's ERROR-forever). Amphorae being built or deleted, or of a load balancer a flow is
/// changing (`PENDING_*`), are never judged.
///
/// **Circuit breaker** (Octavia pain point 4): when more amphorae are failing at once (new plus in-flight
/// rebuilds) than the threshold — `maxRebuilds`, or `maxFleetFraction` of the fleet if smaller, at least 1 — the
/// breaker opens: at most `threshold` rebuilds are started for the whole episode and the rest are held, with an
/// alert. It stays open until `resetAfter` has passed or housekeeping restarts (an operator raising the
/// threshold), so a partition or a broken image cannot turn into a rebuild storm.
public struct RebuildPlanner: Sendable {
    /// The limits.
    public struct Policy: Sendable, Hashable {
        public var maxRebuilds: Int
        public var maxFleetFraction: Double
        public var backoffBase: Duration
        public var backoffMax: Duration
        public var resetAfter: Duration

        /// Creates a policy.
        public init(
            maxRebuilds: Int = 4, maxFleetFraction: Double = 0.5, backoffBase: Duration = .seconds(15),
            backoffMax: Duration = .seconds(600), resetAfter: Duration = .seconds(3_600)
        ) {
            self.maxRebuilds = maxRebuilds
            self.maxFleetFraction = maxFleetFraction
            self.backoffBase = backoffBase
            self.backoffMax = backoffMax
            self.resetAfter = resetAfter
        }

        /// The breaker threshold for a fleet of `fleet` amphorae.
        public func threshold(fleet: Int) -> Int {
            let fraction = Int((maxFleetFraction * Double(fleet)).rounded(.up))
            return max(1, min(maxRebuilds, fraction))
        }
    }

    /// Why an amphora is rebuilt.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        case stale, vanished, error
    }

    /// What one scan sees.
    public struct Observation: Sendable {
        /// Amphorae that are not DELETED.
        public var amphorae: [Amphora]
        /// Ids the health manager marked stale.
        public var stale: Set<String>
        /// Ids whose VM runs; nil when the compute hosts could not be listed (then nothing counts as vanished).
        public var running: Set<String>?
        /// Rebuild tasks queued or running.
        public var inFlight: Int
        /// Load balancers in a `PENDING_*` status: a flow owns their amphorae, which are not judged.
        public var busyLoadBalancers: Set<String>
        public var now: Date

        /// Creates an observation.
        public init(
            amphorae: [Amphora], stale: Set<String>, running: Set<String>?, inFlight: Int,
            busyLoadBalancers: Set<String> = [], now: Date
        ) {
            self.amphorae = amphorae
            self.stale = stale
            self.running = running
            self.inFlight = inFlight
            self.busyLoadBalancers = busyLoadBalancers
            self.now = now
        }
    }

    /// One rebuild to start.
    public struct Rebuild: Sendable, Hashable {
        public var id: String
        public var reason: Reason

        /// Creates a rebuild.
        public init(id: String, reason: Reason) {
            self.id = id
            self.reason = reason
        }
    }

    /// The scan's decision.
    public struct Decision: Sendable, Hashable {
        /// Amphorae to enqueue a rebuild for, oldest failure first.
        public var rebuild: [Rebuild] = []
        /// Failed amphorae not rebuilt now because their backoff has not passed.
        public var backingOff: [String] = []
        /// Failed amphorae held by the open breaker.
        public var held: [String] = []
        /// Whether the breaker is open.
        public var breakerOpen = false
        /// The threshold used.
        public var threshold = 0
    }

    public let policy: Policy
    private var attempts: [String: (count: Int, last: Date, notBefore: Date)] = [:]
    private var episode: (openedAt: Date, remaining: Int)?

    /// Creates a planner with no history.
    public init(policy: Policy) {
        self.policy = policy
    }

    /// Whether the breaker is open.
    public var breakerOpen: Bool { episode != nil }

    /// Plans one scan and records the rebuilds it starts (for backoff and the breaker episode).
    public mutating func plan(_ observation: Observation) -> Decision {
        let now = observation.now
        var decision = Decision()
        let fleet = observation.amphorae.filter {
            $0.loadBalancerID != nil && [.allocated, .error, .booting].contains($0.status)
        }
        decision.threshold = policy.threshold(fleet: fleet.count)
        var failed: [(Amphora, Reason)] = []
        for amphora in fleet where !observation.busyLoadBalancers.contains(amphora.loadBalancerID ?? "") {
            if amphora.status == .error {
                failed.append((amphora, .error))
            } else if amphora.status == .allocated {
                if observation.stale.contains(amphora.id) {
                    failed.append((amphora, .stale))
                } else if let running = observation.running, !running.contains(amphora.id) {
                    failed.append((amphora, .vanished))
                }
            }
        }
        // A rebuild in flight hides its amphora (retired: DELETED) until it succeeds or fails (ERROR again), so
        // attempts are remembered for a while after the last one, not only while the amphora is seen failing.
        let failedIDs = Set(failed.map(\.0.id))
        let memory = 2 * policy.backoffMax.timeInterval + policy.resetAfter.timeInterval
        attempts = attempts.filter { failedIDs.contains($0.key) || now.timeIntervalSince($0.value.last) < memory }
        if let open = episode, now.timeIntervalSince(open.openedAt) >= policy.resetAfter.timeInterval {
            episode = nil
        }
        if episode == nil, failed.count + observation.inFlight > decision.threshold {
            episode = (now, max(0, decision.threshold - observation.inFlight))
        }
        // Oldest failure first (creation order is a stable stand-in).
        for (amphora, reason) in failed.sorted(by: { $0.0.createdAt < $1.0.createdAt }) {
            if let previous = attempts[amphora.id], now < previous.notBefore {
                decision.backingOff.append(amphora.id)
                continue
            }
            if var open = episode {
                guard open.remaining > 0 else {
                    decision.held.append(amphora.id)
                    continue
                }
                open.remaining -= 1
                episode = open
            }
            let count = (attempts[amphora.id]?.count ?? 0) + 1
            attempts[amphora.id] = (count, now, now.addingTimeInterval(backoff(afterAttempt: count).timeInterval))
            decision.rebuild.append(Rebuild(id: amphora.id, reason: reason))
        }
        decision.breakerOpen = episode != nil
        return decision
    }

    /// Forgets that `id` was enqueued (its enqueue failed, e.g. the load balancer was busy).
    public mutating func enqueueFailed(_ id: String) {
        if let previous = attempts[id] {
            attempts[id] = previous.count <= 1 ? nil : (previous.count - 1, previous.last, previous.last)
        }
        if var open = episode {
            open.remaining += 1
            episode = open
        }
    }

    /// Exponential backoff before re-trying a rebuild of the same amphora.
    func backoff(afterAttempt attempt: Int) -> Duration {
        let factor = Double(1 << min(max(attempt - 1, 0), 20))
        return .seconds(min(policy.backoffMax.timeInterval, policy.backoffBase.timeInterval * factor))
    }
}
