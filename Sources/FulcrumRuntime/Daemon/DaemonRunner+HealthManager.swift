import FulcrumHealthManager
import FulcrumSQLite
import Logging
import Prometheus
import ServiceLifecycle

extension DaemonRunner {
    /// `fulcrum-health-manager`: a UDP listener per bind address, the batched updater, the
    /// stale-amphora detector, and the metrics endpoint.
    func healthManagerServices(database: FulcrumDatabase, logger: Logger) -> [any Service] {
        let settings = config.healthManager
        let registry = PrometheusCollectorRegistry()
        let metrics = HealthManagerMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let store = SQLiteStore(database: database, defaultQuota: config.quotas)
        let buffer = HeartbeatBuffer()
        let key = settings.heartbeatKey?.value ?? ""
        var services: [any Service] = settings.bindAddresses.compactMap { address in
            guard let (host, port) = Self.hostPort(address) else { return nil }
            return HeartbeatListener(host: host, port: port, key: key, buffer: buffer, metrics: metrics, logger: logger)
        }
        services.append(
            HeartbeatUpdater(
                store: store, buffer: buffer, metrics: metrics, interval: settings.flushInterval, logger: logger))
        services.append(
            StaleDetector(
                store: store, metrics: metrics, heartbeatTimeout: settings.heartbeatTimeout,
                checkInterval: settings.healthCheckInterval, logger: logger))
        if let (host, port) = Self.hostPort(settings.metricsAddress) {
            services.append(MetricsServer(host: host, port: port, registry: registry, logger: logger))
        }
        return services
    }

    /// Splits a validated `host:port`.
    static func hostPort(_ address: String) -> (String, Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            return nil
        }
        return (String(address[..<colon]), port)
    }
}
