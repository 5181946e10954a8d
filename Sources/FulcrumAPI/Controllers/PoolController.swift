import FulcrumAPITypes
import FulcrumModel
import FulcrumStore
import Hummingbird

/// `/lbaas/pools`: CRUD.
struct PoolController {
    let support: ControllerSupport
    var store: any APIStore { support.store }

    func register(on group: Routes) {
        group.get("lbaas/pools", use: list)
        group.post("lbaas/pools", use: create)
        group.get("lbaas/pools/:id", use: show)
        group.put("lbaas/pools/:id", use: update)
        group.delete("lbaas/pools/:id", use: delete)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try support.list(
            "pools", objects: try await support.rendered(.pool, try context.caller()),
            attributes: PoolBody.attributeNames, request: request,
            aliases: ["loadbalancer_id": "loadbalancers", "listener_id": "listeners"])
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let found = try await support.fetch(ResourceRef(.pool, try support.id(context)), try context.caller())
        return try support.show("pool", try await support.render(found), request: request)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let body = try await RequestBodyDecoder.decode(
            PoolWrite.self, root: "pool", allowed: PoolWrite.createAttributes, request: request, context: context)
        let write = body.value
        _ = try identity.projectForCreate(requested: write.projectID ?? write.tenantID)
        let proto = try required(write.protocol, "protocol")
        let algorithm = try required(write.lbAlgorithm, "lb_algorithm")
        var listener: Listener?
        if let listenerID = write.listenerID {
            guard case .listener(let found) = try await support.fetch(ResourceRef(.listener, listenerID), identity)
            else {
                throw StoreError.notFound(ResourceRef(.listener, listenerID))
            }
            listener = found
        }
        guard let lbID = write.loadbalancerID ?? listener?.loadBalancerID else {
            throw APIError.badRequest(
                "Invalid input for field/attribute loadbalancer_id. One of loadbalancer_id or listener_id is required.")
        }
        if let listener, listener.loadBalancerID != lbID {
            throw APIError.badRequest("Listener \(listener.id) is not on load balancer \(lbID).")
        }
        guard case .loadBalancer(let lb) = try await support.fetch(ResourceRef(.loadBalancer, lbID), identity) else {
            throw StoreError.notFound(ResourceRef(.loadBalancer, lbID))
        }
        var pool = Pool(
            id: support.makeID(), projectID: lb.projectID, loadBalancerID: lb.id, protocol: proto,
            lbAlgorithm: algorithm)
        pool = write.apply(to: pool, nulls: [])
        try pool.validate()
        if let listener { try Compatibility.checkPoolProtocol(pool.protocol, for: listener.protocol) }
        try pool.checkAmphoraProviderSupport()
        let receipt = try await store.create(
            .pool(pool), options: CreateOptions(defaultPoolOfListener: listener?.id),
            task: support.task(.poolCreate, ["id": .string(pool.id), "loadbalancer_id": .string(lb.id)]))
        return try support.show(
            "pool", try await support.render(receipt.resource ?? .pool(pool)), request: request, status: .created)
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let found = try await support.fetch(ResourceRef(.pool, try support.id(context)), identity)
        guard case .pool(let pool) = found else { throw StoreError.notFound(found.ref) }
        let body = try await RequestBodyDecoder.decode(
            PoolWrite.self, root: "pool", allowed: PoolWrite.updateAttributes, request: request, context: context)
        let updated = body.value.apply(to: pool, nulls: body.nulls)
        try updated.validate()
        try updated.checkAmphoraProviderSupport()
        let receipt = try await store.update(.pool(updated), task: support.task(.poolUpdate, ["id": .string(pool.id)]))
        return try support.show("pool", try await support.render(receipt.resource ?? .pool(updated)), request: request)
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await support.deleteChild(
            ResourceRef(.pool, try support.id(context)), try context.caller(), kind: .poolDelete)
    }
}
