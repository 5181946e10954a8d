public import FulcrumSQLite
public import Logging
public import ServiceLifecycle
import UnixSignals

/// Builds and runs one role's process: opens the database (refusing an outdated schema), then runs the role's
/// services in one `ServiceGroup` that shuts down gracefully on SIGTERM or SIGINT.
public struct DaemonRunner: Sendable {
    /// The role to run.
    public let role: Role
    /// The validated configuration.
    public let config: AppConfig
    let logger: Logger

    /// Creates a runner; nothing is opened until `run()`.
    public init(role: Role, config: AppConfig, logger: Logger) {
        self.role = role
        self.config = config
        self.logger = logger
    }

    /// Opens the database and checks its schema.
    ///
    /// - Throws: `RuntimeError` (`.schemaOutdated` says to run `fulcrum db upgrade`).
    public func openDatabase() throws(RuntimeError) -> FulcrumDatabase {
        try config.database.openCurrent()
    }

    /// The role's services in dependency order.
    public func services(database: FulcrumDatabase) throws -> [any Service] {
        switch role {
        case .api: try apiServices(database: database, logger: logger)
        case .healthManager: healthManagerServices(database: database, logger: logger)
        case .worker: try workerServices(database: database, logger: logger)
        case .housekeeping: try housekeepingServices(database: database, logger: logger)
        }
    }

    /// The process's service group; `handlesSignals: false` leaves shutdown to the caller (tests).
    public func serviceGroup(database: FulcrumDatabase, handlesSignals: Bool = true) throws -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(
            services: try services(database: database).map {
                ServiceGroupConfiguration.ServiceConfiguration(service: $0)
            },
            logger: logger
        )
        if handlesSignals {
            configuration.gracefulShutdownSignals = [.sigterm, .sigint]
        }
        configuration.maximumGracefulShutdownDuration = shutdownBudget
        return ServiceGroup(configuration: configuration)
    }

    /// Opens the database and runs until a graceful shutdown completes.
    public func run() async throws {
        let database = try openDatabase()
        logger.info(
            "starting", metadata: ["role": "\(role)", "database.path": "\(config.database.path)"])
        try await serviceGroup(database: database).run()
        logger.info("stopped", metadata: ["role": "\(role)"])
    }

    /// How long graceful shutdown may take before the group cancels the services.
    private var shutdownBudget: Duration {
        switch role {
        case .worker: config.worker.drainTimeout + .seconds(5)
        case .api, .healthManager, .housekeeping: .seconds(10)
        }
    }
}
