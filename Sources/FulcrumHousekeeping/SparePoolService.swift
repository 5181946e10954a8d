import AsyncAlgorithms
import CoreMetrics
import Foundation
public import FulcrumDrivers
public import FulcrumModel
public import FulcrumQueue
public import FulcrumStore
public import Logging
public import ServiceLifecycle

/// Keeps `size` booted, unassigned (`READY`) amphorae with their VIP NIC on `vipSubnetID`, so that creating a
/// SINGLE load balancer (or replacing a STANDALONE amphora) only pushes a configuration. Builds missing spares
/// by enqueueing `amphora.spare` tasks for the worker; discards spares whose VM stopped.
///
/// Octavia removed its spare pool because Nova server groups cannot adopt a booted VM; Fulcrum's placement is
/// its own, so SINGLE load balancers use spares and ACTIVE_STANDBY pairs are always built with anti-affinity.
public struct SparePoolService: Service {
    /// The store ports the service reads and writes.
    public typealias Store = AmphoraStore & NetworkStore & HousekeepingStore

    let store: any Store
    let queue: any TaskQueue
    let compute: any ComputeDriver
    let size: Int
    let vipSubnetID: String
    let interval: Duration
    let metrics: HousekeepingMetrics
    let logger: Logger

    /// Creates the service; `size` 0 disables it.
    public init(
        store: any Store, queue: any TaskQueue, compute: any ComputeDriver, size: Int, vipSubnetID: String,
        interval: Duration, metrics: HousekeepingMetrics, logger: Logger
    ) {
        self.store = store
        self.queue = queue
        self.compute = compute
        self.size = size
        self.vipSubnetID = vipSubnetID
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        guard size > 0 else {
            // Disabled; a service that returns would end the process's service group.
            try await gracefulShutdown()
            return
        }
        for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
            await scan()
        }
    }

    /// One scan; returns how many spare builds it enqueued.
    @discardableResult
    public func scan() async -> Int {
        do {
            var ready = try await store.amphorae(loadBalancerID: nil, includeDeleted: false).filter {
                $0.loadBalancerID == nil && $0.status == .ready && $0.vipSubnetID == vipSubnetID
            }
            if !ready.isEmpty,
                let running = try? await Set(compute.list().filter { $0.state == .running }.map(\.amphoraID))
            {
                for var dead in ready where !running.contains(dead.id) {
                    try? await compute.delete(dead.id)
                    try await store.releaseAddresses(ownerID: dead.id)
                    dead.status = .deleted
                    try await store.updateAmphora(dead)
                    logger.notice(
                        "spare amphora discarded: its VM is not running", metadata: ["amphora.id": "\(dead.id)"])
                }
                ready.removeAll { !running.contains($0.id) }
            }
            metrics.spares.record(ready.count)
            let building = try await store.unfinishedTaskCount(kind: SpareBuild.kind)
            let missing = size - ready.count - building
            guard missing > 0 else { return 0 }
            for _ in 0..<missing {
                _ = try await queue.enqueue(SpareBuild(vipSubnetID: vipSubnetID).task)
            }
            logger.info(
                "spare amphorae enqueued",
                metadata: ["count": "\(missing)", "ready": "\(ready.count)", "building": "\(building)"])
            return missing
        } catch {
            metrics.scanErrors.increment()
            logger.warning("spare pool scan failed", metadata: ["error": "\(error)"])
            return 0
        }
    }
}
