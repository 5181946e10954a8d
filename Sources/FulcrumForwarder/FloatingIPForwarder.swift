import AsyncAlgorithms
import FulcrumModel
public import FulcrumStore
public import Logging
public import NIOCore
public import ServiceLifecycle

/// The floating-IP forwarder, a `Service` of `fulcrum-api`: every `pollInterval` it reads the floating IPs from
/// the store, listens on each one's address and port, stops listening on removed ones (closing their
/// connections), and forwards every accepted TCP connection to the VIP and port through the `connector`. A
/// floating IP whose port cannot be bound is logged and retried on later polls; a failed store read skips one
/// poll; a failed upstream closes only that connection.
public struct FloatingIPForwarder: Service, CustomStringConvertible {
    /// Forwarder settings.
    public struct Configuration: Sendable, Hashable {
        /// Time between store reads (1 s in `fulcrum-api`; tests poll faster). A new or removed floating IP takes
        /// effect within one interval.
        public var pollInterval: Duration

        /// Creates a configuration.
        public init(pollInterval: Duration = .seconds(1)) {
            self.pollInterval = pollInterval
        }
    }

    let store: any FloatingIPStore
    let connector: any UpstreamConnector
    let group: any EventLoopGroup
    let configuration: Configuration
    let logger: Logger

    /// Creates the forwarder; listeners and connections live on `group`.
    public init(
        store: any FloatingIPStore, connector: any UpstreamConnector, group: any EventLoopGroup,
        configuration: Configuration = .init(), logger: Logger
    ) {
        self.store = store
        self.connector = connector
        self.group = group
        self.configuration = configuration
        self.logger = logger
    }

    public var description: String { "FloatingIPForwarder" }

    public func run() async throws {
        var listeners: [String: ForwardListener] = [:]
        var failures = BindFailures()
        await withDiscardingTaskGroup { tasks in
            let ticks = AsyncTimerSequence(interval: configuration.pollInterval, clock: .continuous)
                .cancelOnGracefulShutdown()
            await reconcile(&listeners, &failures, &tasks)
            for await _ in ticks {
                await reconcile(&listeners, &failures, &tasks)
            }
            for listener in listeners.values { listener.close() }
        }
    }

    /// One poll: read the store, close what is gone, open what is new.
    func reconcile(
        _ listeners: inout [String: ForwardListener], _ failures: inout BindFailures,
        _ tasks: inout DiscardingTaskGroup
    ) async {
        let desired: [FloatingIPTarget]
        do {
            desired = try await store.floatingIPTargets()
        } catch {
            logger.info("floating ip poll failed", metadata: ["error": "\(error)"])
            return
        }
        let plan = ForwardingPlan(current: listeners.mapValues(\.target), desired: desired)
        for id in plan.close {
            listeners.removeValue(forKey: id)?.close()
            logger.info("floating ip closed", metadata: ["floatingip.id": "\(id)"])
        }
        failures.keep(only: Set(desired.map(\.floatingIP.id)))
        for target in plan.open {
            let floating = target.floatingIP
            let metadata: Logger.Metadata = [
                "floatingip.id": "\(floating.id)", "floatingip.endpoint": "\(floating.floatingEndpoint)",
                "lb.id": "\(floating.loadBalancerID)", "vip.endpoint": "\(target.vipAddress):\(floating.listenerPort)",
            ]
            do {
                let listener = try await ForwardListener.bind(target, group: group)
                listeners[floating.id] = listener
                failures.clear(floating.id)
                tasks.addTask { await listener.serve(connector: connector, logger: logger) }
                logger.info("floating ip listening", metadata: metadata)
            } catch {
                if failures.record(floating.id, "\(error)") {
                    logger.info(
                        "floating ip cannot listen", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                }
            }
        }
    }
}
