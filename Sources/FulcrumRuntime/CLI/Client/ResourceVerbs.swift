public import ArgumentParser
package import FulcrumClient

/// `fulcrum listener-create --name N --loadbalancer LB --protocol P --protocol-port N` (the seed's flags; `LB` may
/// also be given as the last argument, and `--port` is accepted for `--protocol-port`).
public struct ListenerCreate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "listener-create", abstract: "Create a listener on a load balancer.")
    @OptionGroup public var client: ClientOptions
    @Option(help: "Name.") public var name: String?
    @Option(name: .customLong("protocol"), help: "TCP, HTTP, HTTPS, TERMINATED_HTTPS, UDP, SCTP, PROMETHEUS.")
    public var proto: String
    @Option(name: [.customLong("protocol-port"), .customLong("port")], help: "Protocol port.") public var port: Int
    @Option(name: .customLong("loadbalancer"), help: "Load balancer name or id.") public var loadBalancerOption: String?
    @Argument(help: "Load balancer name or id (instead of --loadbalancer).") public var loadBalancer: String?
    public init() {}
    public func validate() throws {
        guard (loadBalancerOption ?? loadBalancer) != nil else { throw ValidationError("Give --loadbalancer.") }
    }
    package func output(_ api: FulcrumClient) async throws -> String {
        let lb = try await api.resolve("loadbalancers", loadBalancerOption ?? loadBalancer ?? "")
        return try client.render(
            try await api.createListener(loadBalancer: lb, protocol: proto, port: port, name: name))
    }
}

/// `fulcrum pool-create --protocol P --algorithm A (--listener L | --loadbalancer LB)`.
public struct PoolCreate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "pool-create", abstract: "Create a pool on a listener (its default pool) or a load balancer.")
    @OptionGroup public var client: ClientOptions
    @Option(help: "Name.") public var name: String?
    @Option(name: .customLong("protocol"), help: "TCP, HTTP, HTTPS, PROXY, PROXYV2, UDP, SCTP.") public var proto:
        String
    @Option(
        name: [.customLong("lb-algorithm"), .customLong("algorithm")],
        help: "ROUND_ROBIN, LEAST_CONNECTIONS, SOURCE_IP.")
    public var algorithm = "ROUND_ROBIN"
    @Option(help: "Listener name or id.") public var listener: String?
    @Option(help: "Load balancer name or id.") public var loadbalancer: String?
    public init() {}
    public func validate() throws {
        guard listener != nil || loadbalancer != nil else {
            throw ValidationError("Give --listener or --loadbalancer.")
        }
    }
    package func output(_ api: FulcrumClient) async throws -> String {
        let listenerID = try await listener.asyncMap { try await api.resolve("listeners", $0) }
        let loadBalancerID = try await loadbalancer.asyncMap { try await api.resolve("loadbalancers", $0) }
        return try client.render(
            try await api.createPool(
                listener: listenerID, loadBalancer: loadBalancerID, protocol: proto, algorithm: algorithm, name: name))
    }
}

/// `fulcrum member-create --name N --subnet S --address A --protocol-port N POOL` (the seed's flags).
public struct MemberCreate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "member-create", abstract: "Add a member to a pool.")
    @OptionGroup public var client: ClientOptions
    @Option(help: "Name.") public var name: String?
    @Option(help: "Member subnet (id or name; recorded as the member's subnet_id).") public var subnet: String?
    @Option(help: "Member address.") public var address: String
    @Option(name: [.customLong("protocol-port"), .customLong("port")], help: "Member port.") public var port: Int
    @Option(help: "Weight 0...256.") public var weight: Int?
    @Argument(help: "Pool name or id.") public var pool: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        let poolID = try await api.resolve("pools", pool)
        let subnetID = try await subnet.asyncMap { try await api.resolveSubnet($0) }
        return try client.render(
            try await api.createMember(
                pool: poolID, address: address, port: port, weight: weight, name: name, subnet: subnetID))
    }
}

/// `fulcrum healthmonitor-create --delay D --max-retries N --timeout T --type T --pool POOL` (POOL may also be last).
public struct HealthMonitorCreate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "healthmonitor-create", abstract: "Add a health monitor to a pool.")
    @OptionGroup public var client: ClientOptions
    @Option(help: "HTTP, HTTPS, PING, TCP, TLS-HELLO, UDP-CONNECT, SCTP.") public var type: String
    @Option(help: "Seconds between checks.") public var delay: Int
    @Option(help: "Seconds a check may take.") public var timeout: Int
    @Option(help: "Successes to go up (1...10).") public var maxRetries: Int
    @Option(help: "Name.") public var name: String?
    @Option(name: .customLong("pool"), help: "Pool name or id.") public var poolOption: String?
    @Argument(help: "Pool name or id (instead of --pool).") public var pool: String?
    public init() {}
    public func validate() throws {
        guard (poolOption ?? pool) != nil else { throw ValidationError("Give --pool.") }
    }
    package func output(_ api: FulcrumClient) async throws -> String {
        let poolID = try await api.resolve("pools", poolOption ?? pool ?? "")
        return try client.render(
            try await api.createHealthMonitor(
                pool: poolID, type: type, delay: delay, timeout: timeout, maxRetries: maxRetries, name: name))
    }
}

/// `fulcrum quota-update --tenant-id PROJECT --loadbalancer N --pool N …` (the seed's flags; `PROJECT` may also be
/// given as the last argument).
public struct QuotaUpdate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "quota-update", abstract: "Set a project's quotas (admin).")
    @OptionGroup public var client: ClientOptions
    @Option public var loadbalancer: Int?
    @Option public var listener: Int?
    @Option public var pool: Int?
    @Option public var member: Int?
    @Option public var healthmonitor: Int?
    @Option public var l7policy: Int?
    @Option public var l7rule: Int?
    @OptionGroup public var project: ProjectArgument
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        let pairs: [(String, Int?)] = [
            ("loadbalancer", loadbalancer), ("listener", listener), ("pool", pool), ("member", member),
            ("healthmonitor", healthmonitor), ("l7policy", l7policy), ("l7rule", l7rule),
        ]
        let limits = Dictionary(uniqueKeysWithValues: pairs.compactMap { key, value in value.map { (key, $0) } })
        return try client.render(try await api.updateQuota(project: project.id, limits: limits))
    }
}

/// `fulcrum quota-show --tenant-id PROJECT` (or `quota-show PROJECT`).
public struct QuotaShow: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "quota-show", abstract: "Show a project's quotas.")
    @OptionGroup public var client: ClientOptions
    @OptionGroup public var project: ProjectArgument
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try client.render(try await api.quota(project: project.id))
    }
}

/// The project of the quota verbs: `--tenant-id` (neutron's flag, as in the seed), `--project`, or the last argument.
public struct ProjectArgument: ParsableArguments, Sendable {
    @Option(name: [.customLong("tenant-id"), .customLong("project")], help: "Project id.") var option: String?
    @Argument(help: "Project id (instead of --tenant-id).") var argument: String?
    public init() {}
    public func validate() throws {
        guard (option ?? argument) != nil else { throw ValidationError("Give --tenant-id.") }
        if option != nil, argument != nil { throw ValidationError("Give the project once.") }
    }
    /// The project given.
    package var id: String { option ?? argument ?? "" }
}

extension Optional {
    /// `map` for an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
