import FulcrumAmphoraClient
import FulcrumCertificates
import FulcrumHousekeeping
import FulcrumModel
import FulcrumSQLite
import Logging
import Prometheus
import ServiceLifecycle

extension DaemonRunner {
    /// `fulcrum-housekeeping`: the rebuild scan (with its circuit breaker), the purge and orphan scan, and the
    /// metrics endpoint. It lists VMs through libvirt, so in lab mode it runs inside the lab namespace.
    func housekeepingServices(database: FulcrumDatabase, logger: Logger) throws -> [any Service] {
        let settings = config.housekeeping
        let registry = PrometheusCollectorRegistry()
        let metrics = HousekeepingMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let store = SQLiteStore(database: database, defaultQuota: config.quotas)
        let compute = computeDriver(logger: logger)
        let (ca, agents) = try agentAccess(commonName: "fulcrum-housekeeping")
        var services: [any Service] = [
            ShutdownService(name: "agent-client") { try await agents.shutdown() },
            CertRotationService(
                store: store, agents: agents, certificates: ca, agentPort: config.amphora.agentPort,
                validity: .seconds(30 * 86_400), buffer: settings.certExpiryBuffer, interval: settings.certInterval,
                metrics: metrics, logger: logger),
            RebuildService(
                store: store, compute: compute,
                policy: .init(
                    maxRebuilds: settings.maxRebuilds, maxFleetFraction: Double(settings.maxRebuildPercent) / 100,
                    backoffBase: settings.rebuildBackoff, backoffMax: settings.rebuildBackoffMax,
                    resetAfter: settings.breakerReset),
                interval: settings.interval, metrics: metrics, logger: logger),
            PurgeService(
                store: store, compute: compute, interval: settings.cleanupInterval,
                loadBalancerExpiryAge: settings.loadBalancerExpiryAge, amphoraExpiryAge: settings.amphoraExpiryAge,
                metrics: metrics, logger: logger),
        ]
        let management = config.amphora.managementSubnet
        let spareSubnet =
            settings.spareVIPSubnet
            ?? config.subnets.first { $0.name != management && $0.id != management }?.id ?? ""
        services.append(
            SparePoolService(
                store: store, queue: store.queue, compute: compute, size: settings.sparePoolSize,
                vipSubnetID: config.subnets.first { $0.id == spareSubnet || $0.name == spareSubnet }?.id ?? spareSubnet,
                interval: settings.interval, metrics: metrics, logger: logger))
        if let (host, port) = Self.hostPort(settings.metricsAddress) {
            services.append(MetricsServer(host: host, port: port, registry: registry, logger: logger))
        }
        return services
    }
}
