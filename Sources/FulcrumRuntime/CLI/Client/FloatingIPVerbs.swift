public import ArgumentParser
package import FulcrumClient

/// `fulcrum floatingip-associate LOADBALANCER --port FLOATING_PORT [--address 127.0.0.1] [--protocol-port 80]`.
public struct FloatingIPAssociate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "floatingip-associate",
        abstract: "Forward a host address:port to a load balancer's VIP port (a floating IP).")
    @OptionGroup public var client: ClientOptions
    @Option(help: "Host port connections arrive on (the floating port).") public var port: Int
    @Option(help: "Host address connections arrive on (default: the server's, 127.0.0.1).") public var address: String?
    @Option(help: "VIP (listener) port they are forwarded to (default: the server's, 80).") public var protocolPort:
        Int?
    @Argument(help: "Load balancer name or id.") public var loadBalancer: String
    public init() {}
    public func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1...65535.") }
        if let protocolPort, !(1...65535).contains(protocolPort) {
            throw ValidationError("--protocol-port must be 1...65535.")
        }
    }
    package func output(_ api: FulcrumClient) async throws -> String {
        let lb = try await api.resolve("loadbalancers", loadBalancer)
        return try client.render(
            try await api.createFloatingIP(loadBalancer: lb, address: address, port: port, protocolPort: protocolPort))
    }
}

/// `fulcrum floatingip-disassociate FLOATINGIP_ID`.
public struct FloatingIPDisassociate: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "floatingip-disassociate", abstract: "Remove a floating IP (its port stops forwarding).")
    @OptionGroup public var client: ClientOptions
    @Argument(help: "Floating IP id.") public var id: String
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        try await api.deleteFloatingIP(id)
        return ""
    }
}

/// `fulcrum floatingip-list [--loadbalancer LB]`.
public struct FloatingIPList: ClientVerb {
    public static let configuration = CommandConfiguration(
        commandName: "floatingip-list", abstract: "List floating IPs.")
    @OptionGroup public var client: ClientOptions
    @Option(help: "Only this load balancer's (name or id).") public var loadbalancer: String?
    public init() {}
    package func output(_ api: FulcrumClient) async throws -> String {
        let lb = try await loadbalancer.asyncMap { try await api.resolve("loadbalancers", $0) }
        return try client.render(
            list: try await api.floatingIPs(loadBalancer: lb),
            columns: ["id", "floating_ip_address", "floating_port", "loadbalancer_id", "protocol_port"])
    }
}
