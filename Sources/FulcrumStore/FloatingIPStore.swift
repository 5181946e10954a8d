public import FulcrumModel

/// What the forwarder serves for one floating IP: where connections arrive and the VIP they go to.
public struct FloatingIPTarget: Sendable, Hashable {
    /// The association.
    public var floatingIP: FloatingIP
    /// The load balancer's VIP address.
    public var vipAddress: IPv4Address

    /// Creates a target.
    public init(floatingIP: FloatingIP, vipAddress: IPv4Address) {
        self.floatingIP = floatingIP
        self.vipAddress = vipAddress
    }
}

/// Floating IPs (a Fulcrum extension). They are not provisioned objects: no task, no `PENDING_*`; the
/// forwarder in `fulcrum-api` reads them by polling. A load balancer's floating IPs are removed in the
/// transaction that completes its delete (and by the foreign key when its row is purged).
public protocol FloatingIPStore: Sendable {
    /// Stores a new floating IP in one write that checks its load balancer (in `floatingIP.projectID`) exists
    /// and is not being deleted (`notFound` / `immutable`) and that no floating IP uses the same
    /// address and port (`conflict`, in any project: a host port is global).
    func createFloatingIP(_ floatingIP: FloatingIP) async throws -> FloatingIP
    /// One floating IP; `nil` when absent or (with `projectID`) another project's.
    func floatingIP(id: String, projectID: String?) async throws -> FloatingIP?
    /// Floating IPs, oldest first: of one project (`nil`: all) and optionally of one load balancer.
    func floatingIPs(projectID: String?, loadBalancerID: String?) async throws -> [FloatingIP]
    /// Removes a floating IP; `notFound` when absent or (with `projectID`) another project's.
    func deleteFloatingIP(id: String, projectID: String?) async throws
    /// Every floating IP whose load balancer is not `DELETED` and has a VIP, with that VIP: what the
    /// forwarder should be listening for.
    func floatingIPTargets() async throws -> [FloatingIPTarget]
}
