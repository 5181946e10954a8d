public import FulcrumModel
public import FulcrumQueue

/// A load balancer and the children of a single-call ("graph") create.
public struct LoadBalancerGraph: Sendable, Hashable {
    /// The load balancer.
    public var loadBalancer: LoadBalancer
    /// Its children, parents before children: pools, listeners (default pools set), members, monitors,
    /// L7 policies, L7 rules.
    public var children: [Resource]

    /// Creates a graph.
    public init(loadBalancer: LoadBalancer, children: [Resource]) {
        self.loadBalancer = loadBalancer
        self.children = children
    }
}

/// Single-call create (Octavia's graph create): every object `PENDING_CREATE`, the quota charged in bulk,
/// uniqueness rules checked, and one task that activates them all — in one transaction or not at all.
public protocol GraphStore: Sendable {
    /// Records the create of `graph`.
    func createGraph(_ graph: LoadBalancerGraph, task: TaskRequest) async throws -> WriteReceipt
}
