public import ArgumentParser
package import FulcrumClient

/// `fulcrum listener-create --protocol P --port N LB`.
public struct ListenerCreate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "listener-create", abstract: "Create a listener on a load balancer.")
    @OptionGroup public var client: ClientOptions
    @Option(help: "Name.") public var name: String?
    @Option(name: .customLong("protocol"), help: "TCP, HTTP, HTTPS, TERMINATED_HTTPS, UDP, SCTP, PROMETHEUS.")
    public var proto: String
    @Option(help: "Protocol port.") public var port: Int
    @Argument(help: "Load balancer id.") public var loadBalancer: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try client.render(
            try await api.createListener(loadBalancer: loadBalancer, protocol: proto, port: port, name: name))
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
    @Option(help: "ROUND_ROBIN, LEAST_CONNECTIONS, SOURCE_IP.") public var algorithm = "ROUND_ROBIN"
    @Option(help: "Listener id.") public var listener: String?
    @Option(help: "Load balancer id.") public var loadbalancer: String?
    public init() {}
    public func validate() throws {
        guard listener != nil || loadbalancer != nil else {
            throw ValidationError("Give --listener or --loadbalancer.")
        }
    }
    package func output(_ api: FulcrumClient) async throws -> String {
        try client.render(
            try await api.createPool(
                listener: listener, loadBalancer: loadbalancer, protocol: proto, algorithm: algorithm, name: name))
    }
}

/// `fulcrum member-create --address A --port N POOL`.
public struct MemberCreate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "member-create", abstract: "Add a member to a pool.")
    @OptionGroup public var client: ClientOptions
    @Option(help: "Member address.") public var address: String
    @Option(help: "Member port.") public var port: Int
    @Option(help: "Weight 0...256.") public var weight: Int?
    @Argument(help: "Pool id.") public var pool: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try client.render(try await api.createMember(pool: pool, address: address, port: port, weight: weight))
    }
}

/// `fulcrum healthmonitor-create --type T --delay D --timeout T --max-retries N POOL`.
public struct HealthMonitorCreate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "healthmonitor-create", abstract: "Add a health monitor to a pool.")
    @OptionGroup public var client: ClientOptions
    @Option(help: "HTTP, HTTPS, PING, TCP, TLS-HELLO, UDP-CONNECT, SCTP.") public var type: String
    @Option(help: "Seconds between checks.") public var delay: Int
    @Option(help: "Seconds a check may take.") public var timeout: Int
    @Option(help: "Successes to go up (1...10).") public var maxRetries: Int
    @Argument(help: "Pool id.") public var pool: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try client.render(
            try await api.createHealthMonitor(
                pool: pool, type: type, delay: delay, timeout: timeout, maxRetries: maxRetries))
    }
}

/// `fulcrum quota-update PROJECT --loadbalancer N --pool N …`.
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
    @Argument(help: "Project id.") public var project: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        let pairs: [(String, Int?)] = [
            ("loadbalancer", loadbalancer), ("listener", listener), ("pool", pool), ("member", member),
            ("healthmonitor", healthmonitor), ("l7policy", l7policy), ("l7rule", l7rule),
        ]
        let limits = Dictionary(uniqueKeysWithValues: pairs.compactMap { key, value in value.map { (key, $0) } })
        return try client.render(try await api.updateQuota(project: project, limits: limits))
    }
}

/// `fulcrum quota-show PROJECT`.
public struct QuotaShow: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "quota-show", abstract: "Show a project's quotas.")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Project id.") public var project: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try client.render(try await api.quota(project: project))
    }
}
