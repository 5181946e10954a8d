import FulcrumAPI
import FulcrumSQLite
import Logging
import Prometheus
import ServiceLifecycle

extension DaemonRunner {
    /// `fulcrum-api`: the Octavia API and its metrics endpoint.
    func apiServices(database: FulcrumDatabase, logger: Logger) -> [any Service] {
        let registry = PrometheusCollectorRegistry()
        let metrics = APIMetrics(factory: PrometheusMetricsFactory(registry: registry))
        var services: [any Service] = [APIService(config: config, database: database, logger: logger, metrics: metrics)]
        if let (host, port) = Self.hostPort(config.api.metricsAddress) {
            services.append(MetricsServer(host: host, port: port, registry: registry, logger: logger))
        }
        return services
    }
}
