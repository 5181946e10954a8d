/// The control-plane processes Fulcrum runs; each is one executable and one `ServiceGroup`.
public enum Role: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `fulcrum-api`: the Octavia v2 REST API.
    case api
    /// `fulcrum-worker`: claims tasks and runs their flows.
    case worker
    /// `fulcrum-health-manager`: receives heartbeats and rolls up operating status.
    case healthManager = "health-manager"
    /// `fulcrum-housekeeping`: enqueues rebuilds, keeps the spare pool, purges old rows.
    case housekeeping

    /// The executable's name, also the root logger's label.
    public var executableName: String { "fulcrum-\(rawValue)" }

    public var description: String { rawValue }
}

extension AppConfig {
    /// Checks what `role` needs beyond the general validation done by `load`.
    ///
    /// - Throws: `ConfigError` naming the missing key.
    public func validate(for role: Role) throws(ConfigError) {
        switch role {
        case .healthManager:
            guard healthManager.heartbeatKey != nil else {
                throw ConfigError(
                    .missingValue, key: "health_manager.heartbeat_key",
                    "is required by fulcrum-health-manager (heartbeats are authenticated with it)")
            }
        case .api, .worker, .housekeeping:
            break
        }
    }
}
