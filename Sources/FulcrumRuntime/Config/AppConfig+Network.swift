/// Where the subnets' bridges live (`network.*`).
public struct NetworkConfig: Sendable, Hashable {
    /// How Fulcrum's networks are provided.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Production: the operator names existing host bridges; nothing is created.
        case host
        /// The lab: `etc/lab` creates the bridges inside the `lab_namespace` network namespace, and the worker and
        /// health manager run inside it.
        case lab
    }

    /// `network.mode`.
    public var mode = Mode.host
    /// `network.lab_namespace`: the namespace `etc/lab` creates (`/run/netns/<name>`).
    public var labNamespace = "fulcrum-lab"

    /// The namespace the bridges live in: `nil` in host mode (this process's own namespace).
    public var bridgeNamespace: String? { mode == .lab ? labNamespace : nil }

    /// Defaults.
    public init() {}
}

extension AppConfig {
    mutating func readNetwork(_ source: ConfigSource) async throws {
        let modeKey = ["network", "mode"]
        if let value = try await source.string(modeKey) {
            guard let mode = NetworkConfig.Mode(rawValue: value.lowercased()) else {
                let choices = NetworkConfig.Mode.allCases.map(\.rawValue).joined(separator: " | ")
                throw source.error(.invalidValue, modeKey, "'\(value)' is not a mode (\(choices))")
            }
            network.mode = mode
        }
        let namespaceKey = ["network", "lab_namespace"]
        if let value = try await source.string(namespaceKey) {
            guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw source.error(.invalidValue, namespaceKey, "'\(value)' is not a namespace name")
            }
            network.labNamespace = value
        }
    }
}
