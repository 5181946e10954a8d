import AsyncAlgorithms
import CoreMetrics
import Foundation
public import FulcrumDrivers
public import FulcrumModel
public import FulcrumQueue
public import FulcrumStore
public import Logging
public import ServiceLifecycle
import Synchronization

/// Housekeeping's rebuild scan: every `interval`, finds failed amphorae (stale, vanished VM, ERROR) and enqueues
/// an `amphora.failover` for each one the ``RebuildPlanner`` allows; the worker runs the flow.
public final class RebuildService: Service, Sendable {
    /// The store ports the scan reads and writes.
    public typealias Store = AmphoraStore & HealthStore & HousekeepingStore

    /// The worker's task kind for a rebuild: the amphora failover flow.
    static let taskKind = "amphora.failover"

    let store: any Store
    let compute: any ComputeDriver
    let interval: Duration
    let metrics: HousekeepingMetrics
    let clock: any WallClock
    let logger: Logger
    private let planner: Mutex<RebuildPlanner>

    /// Creates the service.
    public init(
        store: any Store, compute: any ComputeDriver, policy: RebuildPlanner.Policy, interval: Duration,
        metrics: HousekeepingMetrics, clock: any WallClock = SystemWallClock(), logger: Logger
    ) {
        self.store = store
        self.compute = compute
        self.interval = interval
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.planner = Mutex(RebuildPlanner(policy: policy))
    }

    public func run() async throws {
        for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
            await scan()
        }
    }

    /// One scan; returns the decision (tests drive this directly).
    @discardableResult
    public func scan() async -> RebuildPlanner.Decision {
        let observation: RebuildPlanner.Observation
        do {
            // VMs first, rows second: an amphora deleted in between then reads DELETED instead of "VM vanished".
            var running: Set<String>?
            do {
                running = Set(try await compute.list().filter { $0.state == .running }.map(\.amphoraID))
            } catch {
                logger.warning("compute hosts not listed; vanished VMs not judged", metadata: ["error": "\(error)"])
            }
            let amphorae = try await store.amphorae(loadBalancerID: nil, includeDeleted: false)
            let stale = Set(try await store.staleAmphorae().map(\.amphoraID))
            observation = .init(
                amphorae: amphorae, stale: stale, running: running,
                inFlight: try await store.unfinishedTaskCount(kind: Self.taskKind),
                busyLoadBalancers: try await store.busyLoadBalancerIDs(), now: clock.now())
        } catch {
            metrics.scanErrors.increment()
            logger.warning("rebuild scan failed", metadata: ["error": "\(error)"])
            return .init()
        }
        let decision = planner.withLock { $0.plan(observation) }
        for rebuild in decision.rebuild {
            do {
                let receipt = try await store.enqueueRebuild(
                    amphoraID: rebuild.id, task: TaskRequest(kind: Self.taskKind))
                metrics.rebuildsEnqueued[rebuild.reason]?.increment()
                logger.notice(
                    "amphora rebuild enqueued",
                    metadata: [
                        "amphora.id": "\(rebuild.id)", "reason": "\(rebuild.reason.rawValue)",
                        "task.id": "\(receipt.taskID)",
                    ])
            } catch {
                planner.withLock { $0.enqueueFailed(rebuild.id) }
                logger.info(
                    "amphora rebuild not enqueued (load balancer busy?)",
                    metadata: ["amphora.id": "\(rebuild.id)", "error": "\(error)"])
            }
        }
        metrics.breakerOpen.record(decision.breakerOpen ? 1 : 0)
        metrics.breakerThreshold.record(decision.threshold)
        metrics.rebuildsHeld.record(decision.held.count)
        metrics.rebuildsBackingOff.record(decision.backingOff.count)
        metrics.failedAmphorae.record(decision.rebuild.count + decision.held.count + decision.backingOff.count)
        if !decision.held.isEmpty {
            logger.error(
                """
                circuit breaker open: automatic rebuilds held; check the compute hosts and the network, then raise \
                housekeeping.max_rebuilds or restart fulcrum-housekeeping
                """,
                metadata: ["held": "\(decision.held.joined(separator: ","))", "threshold": "\(decision.threshold)"])
        }
        return decision
    }
}
