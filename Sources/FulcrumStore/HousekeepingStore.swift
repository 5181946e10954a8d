public import Foundation
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

/// A spare-amphora build as a task: housekeeping enqueues it, the worker's `amphora.spare` flow runs it.
public struct SpareBuild: Codable, Sendable, Hashable {
    /// The task kind.
    public static let kind = "amphora.spare"

    /// The subnet whose bridge the spare's VIP NIC goes on.
    public var vipSubnetID: String

    /// Creates a build request.
    public init(vipSubnetID: String) { self.vipSubnetID = vipSubnetID }

    /// Decodes a task payload; nil when it is not one.
    public init?(payload: String) {
        guard let decoded = try? JSONDecoder().decode(Self.self, from: Data(payload.utf8)) else { return nil }
        self = decoded
    }

    /// The task to enqueue.
    public var task: TaskRequest {
        let payload = (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return TaskRequest(kind: Self.kind, payload: payload)
    }

    enum CodingKeys: String, CodingKey { case vipSubnetID = "vip_subnet_id" }
}
