public import Foundation

/// A floating IP (a Fulcrum extension; Octavia has none): a host address and port on which the API process
/// accepts TCP connections and forwards each one to a load balancer's VIP on `listenerPort`.
public struct FloatingIP: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    /// The load balancer's project (not the caller's: an admin may associate another project's load balancer).
    public var projectID: String
    public var loadBalancerID: String
    /// The host address connections arrive on (`floating_ip_address`).
    public var floatingAddress: IPv4Address
    /// The host port connections arrive on (`floating_port`).
    public var floatingPort: Int
    /// The VIP port they are forwarded to (`protocol_port`, a listener's port).
    public var listenerPort: Int
    public var createdAt: Date

    /// Creates a floating IP value.
    public init(
        id: String, projectID: String, loadBalancerID: String, floatingAddress: IPv4Address, floatingPort: Int,
        listenerPort: Int, createdAt: Date = Date()
    ) {
        self.id = id
        self.projectID = projectID
        self.loadBalancerID = loadBalancerID
        self.floatingAddress = floatingAddress
        self.floatingPort = floatingPort
        self.listenerPort = listenerPort
        self.createdAt = createdAt
    }

    /// `address:port` of the floating side.
    public var floatingEndpoint: String { "\(floatingAddress):\(floatingPort)" }
}
