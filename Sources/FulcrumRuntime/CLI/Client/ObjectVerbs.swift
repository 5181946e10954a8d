public import ArgumentParser
import Foundation
import FulcrumAPITypes
package import FulcrumClient

/// One API collection as the show/list/update/delete verbs see it.
struct APICollection: Sendable {
    /// e.g. `/v2/lbaas/listeners`.
    let path: String
    /// The list reply's key, e.g. `listeners`.
    let plural: String
    /// The object's key, e.g. `listener`.
    let singular: String
    /// Table columns of `-list`.
    let columns: [String]

    static let loadBalancers = APICollection(
        path: "/v2/lbaas/loadbalancers", plural: "loadbalancers", singular: "loadbalancer", columns: [])
    static let listeners = APICollection(
        path: "/v2/lbaas/listeners", plural: "listeners", singular: "listener",
        columns: ["id", "name", "protocol", "protocol_port", "provisioning_status", "operating_status"])
    static let pools = APICollection(
        path: "/v2/lbaas/pools", plural: "pools", singular: "pool",
        columns: ["id", "name", "protocol", "lb_algorithm", "provisioning_status", "operating_status"])
    static let healthMonitors = APICollection(
        path: "/v2/lbaas/healthmonitors", plural: "healthmonitors", singular: "healthmonitor",
        columns: ["id", "name", "type", "delay", "timeout", "max_retries", "provisioning_status"])
    static func members(of pool: String) -> APICollection {
        APICollection(
            path: "/v2/lbaas/pools/\(pool)/members", plural: "members", singular: "member",
            columns: ["id", "name", "address", "protocol_port", "weight", "provisioning_status", "operating_status"])
    }

    /// The path of the object named or identified by `nameOrID`.
    func objectPath(_ api: FulcrumClient, _ nameOrID: String) async throws -> String {
        "\(path)/\(try await api.resolve(in: path, key: plural, nameOrID))"
    }

    /// `GET` of one object, rendered.
    func show(_ api: FulcrumClient, _ nameOrID: String, _ options: ClientOptions) async throws -> String {
        let reply = try await api.send("GET", try await objectPath(api, nameOrID))
        return try options.render(reply?[singular] ?? .null)
    }

    /// `GET` of the collection (with `query`), rendered as a table of `columns`.
    func list(_ api: FulcrumClient, query: String, _ options: ClientOptions) async throws -> String {
        let reply = try await api.send("GET", path + query)
        return try options.render(list: reply?[plural]?.arrayValue ?? [], columns: columns)
    }

    /// `PUT` of `attributes` on one object, rendered (Octavia answers with the object, now `PENDING_UPDATE`).
    func update(
        _ api: FulcrumClient, _ nameOrID: String, _ attributes: [String: JSONValue], _ options: ClientOptions
    ) async throws -> String {
        guard !attributes.isEmpty else { throw ValidationError("Nothing to update: give an option or --set.") }
        let reply = try await api.send(
            "PUT", try await objectPath(api, nameOrID), body: .object([singular: .object(attributes)]))
        return try options.render(reply?[singular] ?? .null)
    }

    /// `DELETE` of one object.
    func delete(_ api: FulcrumClient, _ nameOrID: String) async throws -> String {
        _ = try await api.send("DELETE", try await objectPath(api, nameOrID))
        return ""
    }
}

/// The options every `-update` verb has: name, description, admin state, and `--set KEY=VALUE` for any other
/// attribute (VALUE is read as JSON when it parses, else as a string: `--set connection_limit=100`,
/// `--set 'tags=["a"]'`, `--set description=web tier`).
public struct UpdateOptions: ParsableArguments, Sendable {
    @Option(help: "New name.") public var name: String?
    @Option(help: "New description.") public var description: String?
    @Flag(help: "Set admin_state_up true.") public var enable = false
    @Flag(help: "Set admin_state_up false.") public var disable = false
    @Option(name: .customLong("set"), help: "KEY=VALUE: any other attribute (repeatable).") public var set: [String] =
        []
    public init() {}

    public func validate() throws {
        if enable && disable { throw ValidationError("Give --enable or --disable, not both.") }
        for pair in set where !pair.contains("=") { throw ValidationError("--set takes KEY=VALUE, not '\(pair)'.") }
    }

    /// The attributes these options set, plus `extra` (resource-specific options that were given).
    func attributes(_ extra: [String: JSONValue?] = [:]) -> [String: JSONValue] {
        var attributes: [String: JSONValue] = [:]
        if let name { attributes["name"] = .string(name) }
        if let description { attributes["description"] = .string(description) }
        if enable || disable { attributes["admin_state_up"] = .bool(enable) }
        for (key, value) in extra { if let value { attributes[key] = value } }
        for pair in set {
            let key = String(pair.prefix { $0 != "=" })
            let text = String(pair.dropFirst(key.count + 1))
            attributes[key] = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
        }
        return attributes
    }
}

extension Optional where Wrapped == Int {
    var json: JSONValue? { map { .int($0) } }
}

extension Optional where Wrapped == String {
    var json: JSONValue? { map { .string($0) } }
}

// MARK: load balancers

/// `fulcrum loadbalancer-update LB [--name] [--description] [--enable|--disable] [--set K=V]`.
public struct LoadBalancerUpdate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "loadbalancer-update", abstract: "Update a load balancer.")
    @OptionGroup public var client: ClientOptions
    @OptionGroup public var update: UpdateOptions
    @Argument(help: "Load balancer name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.loadBalancers.update(api, id, update.attributes(), client)
    }
}

// MARK: listeners

/// `fulcrum listener-show LISTENER`.
public struct ListenerShow: ClientVerb {
    public static let configuration = CommandConfiguration(commandName: "listener-show", abstract: "Show a listener.")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Listener name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.listeners.show(api, id, client)
    }
}

/// `fulcrum listener-list [--loadbalancer LB]`.
public struct ListenerList: ClientVerb {
    public static let configuration = CommandConfiguration(commandName: "listener-list", abstract: "List listeners.")
    @OptionGroup public var client: ClientOptions
    @Option(help: "Only this load balancer's (name or id).") public var loadbalancer: String?
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        let lb = try await loadbalancer.asyncMap { try await api.resolve("loadbalancers", $0) }
        return try await APICollection.listeners.list(api, query: lb.map { "?loadbalancer_id=\($0)" } ?? "", client)
    }
}

/// `fulcrum listener-update LISTENER [--connection-limit N] [--default-pool POOL] [common options]`.
public struct ListenerUpdate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "listener-update", abstract: "Update a listener.")
    @OptionGroup public var client: ClientOptions
    @OptionGroup public var update: UpdateOptions
    @Option(help: "Connection limit (-1: unlimited).") public var connectionLimit: Int?
    @Option(help: "Default pool (name or id).") public var defaultPool: String?
    @Argument(help: "Listener name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        let pool = try await defaultPool.asyncMap { try await api.resolve("pools", $0) }
        return try await APICollection.listeners.update(
            api, id, update.attributes(["connection_limit": connectionLimit.json, "default_pool_id": pool.json]),
            client)
    }
}

/// `fulcrum listener-delete LISTENER`.
public struct ListenerDelete: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "listener-delete", abstract: "Delete a listener.")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Listener name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.listeners.delete(api, id)
    }
}

// MARK: pools

/// `fulcrum pool-show POOL`.
public struct PoolShow: ClientVerb {
    public static let configuration = CommandConfiguration(commandName: "pool-show", abstract: "Show a pool.")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Pool name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.pools.show(api, id, client)
    }
}

/// `fulcrum pool-list [--loadbalancer LB]`.
public struct PoolList: ClientVerb {
    public static let configuration = CommandConfiguration(commandName: "pool-list", abstract: "List pools.")
    @OptionGroup public var client: ClientOptions
    @Option(help: "Only this load balancer's (name or id).") public var loadbalancer: String?
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        let lb = try await loadbalancer.asyncMap { try await api.resolve("loadbalancers", $0) }
        return try await APICollection.pools.list(api, query: lb.map { "?loadbalancer_id=\($0)" } ?? "", client)
    }
}

/// `fulcrum pool-update POOL [--lb-algorithm A] [common options]`.
public struct PoolUpdate: ClientVerb {
    public static let configuration = CommandConfiguration(commandName: "pool-update", abstract: "Update a pool.")
    @OptionGroup public var client: ClientOptions
    @OptionGroup public var update: UpdateOptions
    @Option(
        name: [.customLong("lb-algorithm"), .customLong("algorithm")],
        help: "ROUND_ROBIN, LEAST_CONNECTIONS, SOURCE_IP.")
    public var algorithm: String?
    @Argument(help: "Pool name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.pools.update(api, id, update.attributes(["lb_algorithm": algorithm.json]), client)
    }
}

/// `fulcrum pool-delete POOL`.
public struct PoolDelete: ClientVerb {
    public static let configuration = CommandConfiguration(commandName: "pool-delete", abstract: "Delete a pool.")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Pool name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.pools.delete(api, id)
    }
}

// MARK: members (the seed's `MEMBER POOL` argument order)

/// `fulcrum member-show MEMBER POOL`.
public struct MemberShow: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "member-show", abstract: "Show a member of a pool.")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Member name or id.") public var id: String
    @Argument(help: "Pool name or id.") public var pool: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.members(of: try await api.resolve("pools", pool)).show(api, id, client)
    }
}

/// `fulcrum member-list POOL`.
public struct MemberList: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "member-list", abstract: "List the members of a pool.")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Pool name or id.") public var pool: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.members(of: try await api.resolve("pools", pool)).list(api, query: "", client)
    }
}

/// `fulcrum member-update MEMBER POOL [--weight N] [common options]` (`--disable` = admin down).
public struct MemberUpdate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "member-update", abstract: "Update a member of a pool.")
    @OptionGroup public var client: ClientOptions
    @OptionGroup public var update: UpdateOptions
    @Option(help: "Weight 0...256 (0: drain).") public var weight: Int?
    @Argument(help: "Member name or id.") public var id: String
    @Argument(help: "Pool name or id.") public var pool: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.members(of: try await api.resolve("pools", pool)).update(
            api, id, update.attributes(["weight": weight.json]), client)
    }
}

/// `fulcrum member-delete MEMBER POOL`.
public struct MemberDelete: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "member-delete", abstract: "Remove a member from a pool.")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Member name or id.") public var id: String
    @Argument(help: "Pool name or id.") public var pool: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.members(of: try await api.resolve("pools", pool)).delete(api, id)
    }
}

// MARK: health monitors

/// `fulcrum healthmonitor-show MONITOR`.
public struct HealthMonitorShow: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "healthmonitor-show", abstract: "Show a health monitor.")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Health monitor name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.healthMonitors.show(api, id, client)
    }
}

/// `fulcrum healthmonitor-list`.
public struct HealthMonitorList: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "healthmonitor-list", abstract: "List health monitors.")
    @OptionGroup public var client: ClientOptions
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.healthMonitors.list(api, query: "", client)
    }
}

/// `fulcrum healthmonitor-update MONITOR [--delay] [--timeout] [--max-retries] [common options]`.
public struct HealthMonitorUpdate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "healthmonitor-update", abstract: "Update a health monitor.")
    @OptionGroup public var client: ClientOptions
    @OptionGroup public var update: UpdateOptions
    @Option(help: "Seconds between checks.") public var delay: Int?
    @Option(help: "Seconds a check may take.") public var timeout: Int?
    @Option(help: "Successes to go up (1...10).") public var maxRetries: Int?
    @Argument(help: "Health monitor name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.healthMonitors.update(
            api, id,
            update.attributes(["delay": delay.json, "timeout": timeout.json, "max_retries": maxRetries.json]),
            client)
    }
}

/// `fulcrum healthmonitor-delete MONITOR`.
public struct HealthMonitorDelete: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "healthmonitor-delete", abstract: "Delete a health monitor.")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Health monitor name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await APICollection.healthMonitors.delete(api, id)
    }
}
