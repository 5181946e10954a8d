import FulcrumAPITypes
import FulcrumModel
import FulcrumQueue
import FulcrumStore
import Hummingbird

/// `/octavia/amphorae` (admin only): list, show, failover (202), config (202), stats.
struct AmphoraController {
    let support: ControllerSupport
    var store: any APIStore { support.store }

    func register(on group: Routes) {
        group.get("octavia/amphorae", use: list)
        group.get("octavia/amphorae/:id", use: show)
        group.put("octavia/amphorae/:id/failover", use: failover)
        group.put("octavia/amphorae/:id/config", use: config)
        group.get("octavia/amphorae/:id/stats", use: stats)
    }

    func admin(_ context: APIRequestContext) throws {
        guard try context.caller().isAdmin else { throw APIError.forbidden() }
    }

    func amphora(_ context: APIRequestContext) async throws -> Amphora {
        try admin(context)
        let id = try support.id(context)
        guard let amphora = try await store.amphora(id: id), amphora.status != .deleted else {
            throw StoreError.notFound(ResourceRef(.amphora, id))
        }
        return amphora
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try admin(context)
        let objects = try await store.amphorae(loadBalancerID: nil, includeDeleted: false).map {
            try JSONValue(encoding: AmphoraBody($0))
        }
        return try support.list("amphorae", objects: objects, attributes: AmphoraBody.attributeNames, request: request)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        try support.show("amphora", try JSONValue(encoding: AmphoraBody(try await amphora(context))), request: request)
    }

    @Sendable func failover(_ request: Request, context: APIRequestContext) async throws -> Response {
        let amphora = try await amphora(context)
        _ = try await store.failoverAmphora(
            id: amphora.id, task: support.task(.amphoraFailover, ["id": .string(amphora.id)]))
        return Reply.empty(.accepted)
    }

    /// Octavia re-sends the agent configuration: enqueues `amphora.config` (no object changes state).
    @Sendable func config(_ request: Request, context: APIRequestContext) async throws -> Response {
        let amphora = try await amphora(context)
        var task = support.task(.amphoraConfig, ["id": .string(amphora.id)])
        task.loadBalancerID = amphora.loadBalancerID
        _ = try await support.queue.enqueue(task)
        return Reply.empty(.accepted)
    }

    @Sendable func stats(_ request: Request, context: APIRequestContext) async throws -> Response {
        let amphora = try await amphora(context)
        let rows = try await store.amphoraStatistics(amphoraID: amphora.id)
        guard !rows.isEmpty else { throw StoreError(.notFound, "No statistics for amphora \(amphora.id).") }
        return try Reply.json(
            .object([
                "amphora_stats": .array(
                    rows.map { row in
                        .object([
                            "id": .string(amphora.id),
                            "loadbalancer_id": amphora.loadBalancerID.map(JSONValue.string) ?? .null,
                            "listener_id": .string(row.listenerID),
                            "active_connections": .int(Int(row.activeConnections)),
                            "bytes_in": .int(Int(row.bytesIn)), "bytes_out": .int(Int(row.bytesOut)),
                            "request_errors": .int(Int(row.requestErrors)),
                            "total_connections": .int(Int(row.totalConnections)),
                        ])
                    })
            ]))
    }
}
