public import ArgumentParser
import FulcrumAPITypes
package import FulcrumClient

/// `fulcrum loadbalancer-create --name NAME SUBNET`.
public struct LoadBalancerCreate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "loadbalancer-create", abstract: "Create a load balancer with a VIP on SUBNET.")
    @OptionGroup public var client: ClientOptions
    @Option(help: "Name.") public var name: String?
    @Argument(help: "VIP subnet (id or name).") public var subnet: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try client.render(try await api.createLoadBalancer(name: name, subnet: subnet))
    }
}

/// `fulcrum loadbalancer-show ID`.
public struct LoadBalancerShow: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "loadbalancer-show", abstract: "Show a load balancer.")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Load balancer name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try client.render(try await api.loadBalancer(try await api.resolve("loadbalancers", id)))
    }
}

/// `fulcrum loadbalancer-list`.
public struct LoadBalancerList: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "loadbalancer-list", abstract: "List load balancers.")
    @OptionGroup public var client: ClientOptions
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try client.render(
            list: try await api.loadBalancers(),
            columns: ["id", "name", "project_id", "vip_address", "provisioning_status", "operating_status"])
    }
}

/// `fulcrum loadbalancer-delete ID [--cascade]`.
public struct LoadBalancerDelete: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "loadbalancer-delete", abstract: "Delete a load balancer (with --cascade, its children too).")
    @OptionGroup public var client: ClientOptions
    @Flag(help: "Delete the children too.") public var cascade = false
    @Argument(help: "Load balancer name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await api.deleteLoadBalancer(try await api.resolve("loadbalancers", id), cascade: cascade)
        return ""
    }
}

/// `fulcrum loadbalancer-failover ID`.
public struct LoadBalancerFailover: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "loadbalancer-failover", abstract: "Fail over a load balancer's amphorae.")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Load balancer name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await api.failoverLoadBalancer(try await api.resolve("loadbalancers", id))
        return ""
    }
}

/// `fulcrum loadbalancer-stats ID`.
public struct LoadBalancerStats: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "loadbalancer-stats", abstract: "Show a load balancer's statistics.")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Load balancer name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try client.render(try await api.loadBalancerStats(try await api.resolve("loadbalancers", id)))
    }
}

/// `fulcrum loadbalancer-status ID`: the status tree, always JSON (indented by four spaces unless `-f json`).
public struct LoadBalancerStatus: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "loadbalancer-status", abstract: "Show a load balancer's status tree (JSON).")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Load balancer name or id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        let tree = try JSONValue.of(try await api.loadBalancerStatus(try await api.resolve("loadbalancers", id)))
        if client.format == .json { return String(decoding: try tree.encoded(), as: UTF8.self) }
        return TableRenderer.indentedJSON(tree)
    }
}
