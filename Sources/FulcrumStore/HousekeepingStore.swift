public import FulcrumQueue

/// What housekeeping needs beyond the amphora and health ports.
public protocol HousekeepingStore: Sendable {
    /// Enqueues an automatic rebuild (`amphora.failover`) of `amphoraID` — which may be ERROR or already
    /// retired — and sets its load balancer `PENDING_UPDATE`, in one transaction. The load balancer must be
    /// `ACTIVE` or `ERROR` (a failed rebuild is retried, unlike Octavia's ERROR-forever).
    ///
    /// - Throws: `StoreError` when the amphora serves no load balancer or the load balancer is busy.
    func enqueueRebuild(amphoraID: String, task: TaskRequest) async throws -> WriteReceipt
    /// Ids of the load balancers in a `PENDING_*` provisioning status.
    func busyLoadBalancerIDs() async throws -> Set<String>
    /// How many tasks of `kind` are queued or running.
    func unfinishedTaskCount(kind: String) async throws -> Int
}
