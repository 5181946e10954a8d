import FulcrumAPITypes
import FulcrumModel
import FulcrumStore
import Hummingbird

/// `/lbaas/listeners`: CRUD and stats.
struct ListenerController {
    let support: ControllerSupport
    var store: any APIStore { support.store }

    func register(on group: Routes) {
        group.get("lbaas/listeners", use: list)
        group.post("lbaas/listeners", use: create)
        group.get("lbaas/listeners/:id", use: show)
        group.put("lbaas/listeners/:id", use: update)
        group.delete("lbaas/listeners/:id", use: delete)
        group.get("lbaas/listeners/:id/stats", use: stats)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try support.list(
            "listeners", objects: try await support.rendered(.listener, try context.caller()),
            attributes: ListenerBody.attributeNames, request: request,
            aliases: ["loadbalancer_id": "loadbalancers"])
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let found = try await support.fetch(ResourceRef(.listener, try support.id(context)), try context.caller())
        return try support.show("listener", try await support.render(found), request: request)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let body = try await RequestBodyDecoder.decode(
            ListenerWrite.self, root: "listener", allowed: ListenerWrite.createAttributes, request: request,
            context: context)
        let write = body.value
        _ = try identity.projectForCreate(requested: write.projectID ?? write.tenantID)
        let lbID = try required(write.loadbalancerID, "loadbalancer_id")
        let proto = try required(write.protocol, "protocol")
        let port = try required(write.protocolPort, "protocol_port")
        guard case .loadBalancer(let lb) = try await support.fetch(ResourceRef(.loadBalancer, lbID), identity) else {
            throw StoreError.notFound(ResourceRef(.loadBalancer, lbID))
        }
        let listener = write.makeListener(
            id: support.makeID(), projectID: lb.projectID, loadBalancerID: lb.id, protocol: proto, port: port)
        try check(listener, lb: lb)
        let receipt = try await store.create(
            .listener(listener), options: CreateOptions(),
            task: support.task(.listenerCreate, ["id": .string(listener.id), "loadbalancer_id": .string(lb.id)]))
        return try support.show(
            "listener", try await support.render(receipt.resource ?? .listener(listener)), request: request,
            status: .created)
    }

    func check(_ listener: Listener, lb: LoadBalancer) throws {
        try listener.validate()
        try Compatibility.checkAllowedCIDRs(listener.allowedCIDRs, vipAddresses: lb.vipAddress.map { [$0] } ?? [])
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let found = try await support.fetch(ResourceRef(.listener, try support.id(context)), identity)
        guard case .listener(let listener) = found else { throw StoreError.notFound(found.ref) }
        let body = try await RequestBodyDecoder.decode(
            ListenerWrite.self, root: "listener", allowed: ListenerWrite.updateAttributes, request: request,
            context: context)
        let updated = body.value.apply(to: listener, nulls: body.nulls)
        guard
            case .loadBalancer(let lb) = try await support.fetch(
                ResourceRef(.loadBalancer, listener.loadBalancerID), identity)
        else {
            throw StoreError.notFound(ResourceRef(.loadBalancer, listener.loadBalancerID))
        }
        try check(updated, lb: lb)
        let receipt = try await store.update(
            .listener(updated), task: support.task(.listenerUpdate, ["id": .string(listener.id)]))
        return try support.show(
            "listener", try await support.render(receipt.resource ?? .listener(updated)), request: request)
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await support.deleteChild(
            ResourceRef(.listener, try support.id(context)), try context.caller(), kind: .listenerDelete)
    }

    @Sendable func stats(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try support.id(context)
        _ = try await support.fetch(ResourceRef(.listener, id), try context.caller())
        return try Reply.encodable(["stats": StatsBody(try await support.store.listenerStatistics(listenerID: id))])
    }
}
