import FulcrumAPITypes
import FulcrumModel
import FulcrumStore
import Hummingbird

/// `/lbaas/healthmonitors`: CRUD.
struct HealthMonitorController {
    let support: ControllerSupport
    var store: any APIStore { support.store }

    func register(on group: Routes) {
        group.get("lbaas/healthmonitors", use: list)
        group.post("lbaas/healthmonitors", use: create)
        group.get("lbaas/healthmonitors/:id", use: show)
        group.put("lbaas/healthmonitors/:id", use: update)
        group.delete("lbaas/healthmonitors/:id", use: delete)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try support.list(
            "healthmonitors", objects: try await support.rendered(.healthMonitor, try context.caller()),
            attributes: HealthMonitorBody.attributeNames, request: request,
            aliases: ["pool_id": "pools"])
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let found = try await support.fetch(ResourceRef(.healthMonitor, try support.id(context)), try context.caller())
        return try support.show("healthmonitor", try await support.render(found), request: request)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let body = try await RequestBodyDecoder.decode(
            HealthMonitorWrite.self, root: "healthmonitor", allowed: HealthMonitorWrite.createAttributes,
            request: request, context: context)
        let write = body.value
        _ = try identity.projectForCreate(requested: write.projectID ?? write.tenantID)
        let poolID = try required(write.poolID, "pool_id")
        let type = try required(write.type, "type")
        let delay = try required(write.delay, "delay")
        let timeout = try required(write.timeout, "timeout")
        let maxRetries = try required(write.maxRetries, "max_retries")
        guard case .pool(let pool) = try await support.fetch(ResourceRef(.pool, poolID), identity) else {
            throw StoreError.notFound(ResourceRef(.pool, poolID))
        }
        let monitor = write.makeMonitor(
            id: support.makeID(), projectID: pool.projectID, poolID: pool.id, type: type, delay: delay,
            timeout: timeout, maxRetries: maxRetries)
        try monitor.validate()
        try Compatibility.checkHealthMonitor(monitor.type, for: pool.protocol)
        let receipt = try await store.create(
            .healthMonitor(monitor), options: CreateOptions(),
            task: support.task(.healthMonitorCreate, ["id": .string(monitor.id), "pool_id": .string(pool.id)]))
        return try support.show(
            "healthmonitor", try await support.render(receipt.resource ?? .healthMonitor(monitor)), request: request,
            status: .created)
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let found = try await support.fetch(ResourceRef(.healthMonitor, try support.id(context)), identity)
        guard case .healthMonitor(let monitor) = found else { throw StoreError.notFound(found.ref) }
        let body = try await RequestBodyDecoder.decode(
            HealthMonitorWrite.self, root: "healthmonitor", allowed: HealthMonitorWrite.updateAttributes,
            request: request, context: context)
        if let field = body.nulls.intersection(HealthMonitorWrite.notNullable).sorted().first {
            throw APIError.badRequest(
                "Invalid input for field/attribute \(field). Value: 'None'. Mandatory field may not be null.")
        }
        let updated = body.value.apply(to: monitor, nulls: body.nulls)
        try updated.validate()
        let receipt = try await store.update(
            .healthMonitor(updated), task: support.task(.healthMonitorUpdate, ["id": .string(monitor.id)]))
        return try support.show(
            "healthmonitor", try await support.render(receipt.resource ?? .healthMonitor(updated)), request: request)
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await support.deleteChild(
            ResourceRef(.healthMonitor, try support.id(context)), try context.caller(), kind: .healthMonitorDelete)
    }
}
