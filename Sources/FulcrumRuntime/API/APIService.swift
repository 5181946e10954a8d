public import FulcrumAPI
import FulcrumModel
import FulcrumQueue
public import FulcrumSQLite
import Hummingbird
public import Logging
public import ServiceLifecycle

/// `fulcrum-api`'s API service: syncs the configured subnets into the store, then serves the Octavia API on
/// `api.host:api.port` until graceful shutdown. Picks the SQLite adapter; `FulcrumAPI` sees only ports. (The
/// floating-IP forwarder runs beside it in the same process: `DaemonRunner.apiServices`.)
public struct APIService: Service, CustomStringConvertible {
    let config: AppConfig
    let database: FulcrumDatabase
    let logger: Logger
    let metrics: APIMetrics

    /// Creates the service; requests are counted in `metrics`.
    public init(config: AppConfig, database: FulcrumDatabase, logger: Logger, metrics: APIMetrics = .disabled) {
        self.config = config
        self.database = database
        self.logger = logger
        self.metrics = metrics
    }

    public var description: String { "APIService" }

    /// The store the API runs on, with the configured quota defaults and queue settings.
    func makeStore() -> SQLiteStore {
        SQLiteStore(
            database: database, defaultQuota: config.quotas, queueConfiguration: config.queue.queueConfiguration)
    }

    /// The API over `store`, authenticating as configured.
    func makeServer(store: SQLiteStore) -> APIServer {
        let strategy: Authenticator.Strategy =
            switch config.auth.strategy {
            case .noauth: .noauth
            case .token: .token(adminToken: config.auth.adminToken?.value)
            }
        return APIServer(
            store: store, queue: store.queue, authenticator: Authenticator(strategy: strategy, tokens: store),
            logger: logger, defaultTopology: config.amphora.topology, floatingIPs: floatingIPConfiguration,
            metrics: metrics)
    }

    /// The floating addresses the API accepts; Fulcrum's own listeners on this host (the API, the metrics
    /// endpoints) are reserved.
    var floatingIPConfiguration: FloatingIPConfiguration {
        let own = [
            "\(config.api.host):\(config.api.port)", config.api.metricsAddress, config.worker.metricsAddress,
            config.healthManager.metricsAddress, config.housekeeping.metricsAddress,
        ]
        let reserved = own.compactMap { address -> FloatingIPConfiguration.Endpoint? in
            guard let (host, port) = DaemonRunner.hostPort(address), let ip = IPv4Address(host) else { return nil }
            return FloatingIPConfiguration.Endpoint(address: ip, port: port)
        }
        return FloatingIPConfiguration(allowedNetworks: config.floatingIPs.allowedCIDRs, reservedEndpoints: reserved)
    }

    public func run() async throws {
        let store = makeStore()
        try await store.syncSubnets(config.subnets)
        let application = makeServer(store: store).application(host: config.api.host, port: config.api.port)
        logger.info(
            "api starting",
            metadata: [
                "api.host": "\(config.api.host)", "api.port": "\(config.api.port)",
                "auth.strategy": "\(config.auth.strategy.rawValue)", "subnets.count": "\(config.subnets.count)",
            ])
        try await application.run()
    }
}

extension QueueConfig {
    /// The queue's own configuration struct.
    var queueConfiguration: QueueConfiguration {
        QueueConfiguration(
            leaseDuration: lease, maxAttempts: maxAttempts, backoffBase: backoffBase, backoffMax: backoffMax)
    }
}
