import AsyncAlgorithms
import CoreMetrics
import Foundation
public import FulcrumDrivers
public import FulcrumModel
public import FulcrumStore
public import Logging
public import ServiceLifecycle

/// Housekeeping's cleanup scan: purges DELETED load balancers and amphorae after their expiry ages (Octavia's
/// DB cleanup) and removes orphan VMs — domains named like an amphora whose row is missing or DELETED (a crash
/// between boot and bookkeeping), which Octavia leaves running.
public struct PurgeService: Service {
    let store: any AmphoraStore
    let compute: any ComputeDriver
    let interval: Duration
    let loadBalancerExpiryAge: Duration
    let amphoraExpiryAge: Duration
    let metrics: HousekeepingMetrics
    let clock: any WallClock
    let logger: Logger

    /// Creates the service.
    public init(
        store: any AmphoraStore, compute: any ComputeDriver, interval: Duration, loadBalancerExpiryAge: Duration,
        amphoraExpiryAge: Duration, metrics: HousekeepingMetrics, clock: any WallClock = SystemWallClock(),
        logger: Logger
    ) {
        self.store = store
        self.compute = compute
        self.interval = interval
        self.loadBalancerExpiryAge = loadBalancerExpiryAge
        self.amphoraExpiryAge = amphoraExpiryAge
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
            await scan()
        }
    }

    /// One scan: returns the orphan amphora ids whose VMs it removed.
    @discardableResult
    public func scan() async -> [String] {
        let now = clock.now()
        do {
            let purged = try await store.purgeDeleted(
                loadBalancersBefore: now.addingTimeInterval(-loadBalancerExpiryAge.timeInterval),
                amphoraeBefore: now.addingTimeInterval(-amphoraExpiryAge.timeInterval))
            metrics.purgedLoadBalancers.increment(by: purged.loadBalancers)
            metrics.purgedAmphorae.increment(by: purged.amphorae)
            if purged.loadBalancers + purged.amphorae > 0 {
                logger.info(
                    "purged deleted rows",
                    metadata: ["load_balancers": "\(purged.loadBalancers)", "amphorae": "\(purged.amphorae)"])
            }
        } catch {
            metrics.scanErrors.increment()
            logger.warning("purge failed", metadata: ["error": "\(error)"])
        }
        var removed: [String] = []
        do {
            for instance in try await compute.list() {
                let row = try await store.amphora(id: instance.amphoraID)
                guard row == nil || row?.status == .deleted else { continue }
                try await compute.delete(instance.amphoraID)
                metrics.orphansRemoved.increment()
                removed.append(instance.amphoraID)
                logger.notice("orphan amphora VM removed", metadata: ["amphora.id": "\(instance.amphoraID)"])
            }
        } catch {
            metrics.scanErrors.increment()
            logger.warning("orphan scan failed", metadata: ["error": "\(error)"])
        }
        return removed
    }
}
