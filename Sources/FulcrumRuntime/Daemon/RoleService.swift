public import Logging
public import ServiceLifecycle

/// Placeholder service for a role until its real services (API server, worker pool, heartbeat listener,
/// housekeeping scans) arrive: it logs that it started and waits for graceful shutdown.
public struct RoleService: Service, CustomStringConvertible {
    /// The role this service stands for.
    public let role: Role
    private let logger: Logger

    /// Creates the placeholder for `role`.
    public init(role: Role, logger: Logger) {
        self.role = role
        self.logger = logger
    }

    public var description: String { "RoleService(\(role))" }

    public func run() async throws {
        logger.info("role started", metadata: ["role": "\(role)"])
        try await gracefulShutdown()
        logger.info("role stopping", metadata: ["role": "\(role)"])
    }
}
