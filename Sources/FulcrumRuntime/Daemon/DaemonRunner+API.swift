import FulcrumAPI
import FulcrumForwarder
import FulcrumSQLite
import Logging
import NIOPosix
import Prometheus
import ServiceLifecycle

extension DaemonRunner {
    /// Threads that create sockets inside the VIP namespace and wait for their connects (each connect holds
    /// one for at most the connect timeout).
    static let namespaceConnectThreads = 4

    /// `fulcrum-api`: the Octavia API, its metrics endpoint and the floating-IP forwarder. With `floating_ips.network_namespace` set,
    /// upstream sockets are made in that namespace on a dedicated thread pool (shut down last).
    func apiServices(database: FulcrumDatabase, logger: Logger) throws -> [any Service] {
        let store = SQLiteStore(database: database, defaultQuota: config.quotas)
        let namespace = config.floatingIPs.networkNamespace
        var services: [any Service] = []
        let connector: any UpstreamConnector
        if namespace.isEmpty {
            connector = DirectUpstreamConnector()
        } else {
            let pool = NIOThreadPool(numberOfThreads: Self.namespaceConnectThreads)
            pool.start()
            services.append(ShutdownService(name: "namespace-connect-threads") { try await pool.shutdownGracefully() })
            let namespaceConnector = try NamespaceUpstreamConnector(namespacePath: namespace, threadPool: pool)
            do {
                try namespaceConnector.checkNamespace()
            } catch {
                // Not fatal: the namespace may appear later (lab brought up after the API); connects retry it.
                logger.info("floating ip namespace unavailable", metadata: ["error": "\(error)"])
            }
            connector = namespaceConnector
        }
        let registry = PrometheusCollectorRegistry()
        let metrics = APIMetrics(factory: PrometheusMetricsFactory(registry: registry))
        services.append(APIService(config: config, database: database, logger: logger, metrics: metrics))
        if let (host, port) = Self.hostPort(config.api.metricsAddress) {
            services.append(MetricsServer(host: host, port: port, registry: registry, logger: logger))
        }
        services.append(
            FloatingIPForwarder(
                store: store, connector: connector, group: MultiThreadedEventLoopGroup.singleton, logger: logger))
        return services
    }
}
