import FulcrumAPITypes
import FulcrumModel
import FulcrumStore
import Hummingbird

/// `/lbaas/l7policies`: CRUD.
struct L7PolicyController {
    let support: ControllerSupport
    var store: any APIStore { support.store }

    func register(on group: Routes) {
        group.get("lbaas/l7policies", use: list)
        group.post("lbaas/l7policies", use: create)
        group.get("lbaas/l7policies/:id", use: show)
        group.put("lbaas/l7policies/:id", use: update)
        group.delete("lbaas/l7policies/:id", use: delete)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try support.list(
            "l7policies", objects: try await support.rendered(.l7Policy, try context.caller()),
            attributes: L7PolicyBody.attributeNames, request: request)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let found = try await support.fetch(ResourceRef(.l7Policy, try support.id(context)), try context.caller())
        return try support.show("l7policy", try await support.render(found), request: request)
    }

    /// Cross-object checks: an HTTP-like listener and a compatible redirect pool.
    func check(_ policy: L7Policy, listener: Listener, identity: Identity) async throws {
        try Compatibility.checkL7PolicyListener(listener.protocol)
        if let poolID = policy.redirectPoolID {
            guard case .pool(let pool) = try await support.fetch(ResourceRef(.pool, poolID), identity) else {
                throw StoreError.notFound(ResourceRef(.pool, poolID))
            }
            try Compatibility.checkRedirectPool(pool, for: listener)
        }
    }

    func listener(_ id: String, _ identity: Identity) async throws -> Listener {
        guard case .listener(let listener) = try await support.fetch(ResourceRef(.listener, id), identity) else {
            throw StoreError.notFound(ResourceRef(.listener, id))
        }
        return listener
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let body = try await RequestBodyDecoder.decode(
            L7PolicyWrite.self, root: "l7policy", allowed: L7PolicyWrite.createAttributes, request: request,
            context: context)
        let write = body.value
        _ = try identity.projectForCreate(requested: write.projectID ?? write.tenantID)
        let listener = try await listener(try required(write.listenerID, "listener_id"), identity)
        if write.action == nil, write.redirectPoolID == nil, write.redirectURL == nil, write.redirectPrefix == nil {
            _ = try required(write.action, "action")
        }
        let multiple = [write.redirectPoolID, write.redirectURL, write.redirectPrefix].compactMap { $0 }.count > 1
        if write.action == nil, multiple {
            throw APIError.badRequest(
                "Invalid L7 Policy arguments: only one of redirect_pool_id, redirect_url, redirect_prefix may be given."
            )
        }
        var policy = L7Policy(
            id: support.makeID(), projectID: listener.projectID, listenerID: listener.id,
            action: write.action ?? .reject)
        policy = write.apply(to: policy, nulls: [])
        policy.position = write.position
        try policy.validate()
        policy = policy.normalized()
        try await check(policy, listener: listener, identity: identity)
        let receipt = try await store.create(
            .l7Policy(policy), options: CreateOptions(),
            task: support.task(.l7PolicyCreate, ["id": .string(policy.id), "listener_id": .string(listener.id)]))
        return try support.show(
            "l7policy", try await support.render(receipt.resource ?? .l7Policy(policy)), request: request,
            status: .created)
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let found = try await support.fetch(ResourceRef(.l7Policy, try support.id(context)), identity)
        guard case .l7Policy(let policy) = found else { throw StoreError.notFound(found.ref) }
        let body = try await RequestBodyDecoder.decode(
            L7PolicyWrite.self, root: "l7policy", allowed: L7PolicyWrite.updateAttributes, request: request,
            context: context)
        var updated = body.value.apply(to: policy, nulls: body.nulls)
        updated = updated.normalized()
        try updated.validate()
        try await check(updated, listener: try await listener(policy.listenerID, identity), identity: identity)
        let receipt = try await store.update(
            .l7Policy(updated), task: support.task(.l7PolicyUpdate, ["id": .string(policy.id)]))
        return try support.show(
            "l7policy", try await support.render(receipt.resource ?? .l7Policy(updated)), request: request)
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await support.deleteChild(
            ResourceRef(.l7Policy, try support.id(context)), try context.caller(), kind: .l7PolicyDelete)
    }
}
