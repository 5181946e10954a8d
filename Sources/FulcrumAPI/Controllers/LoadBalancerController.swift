import Foundation
import FulcrumAPITypes
import FulcrumModel
import FulcrumStore
import Hummingbird

/// `/lbaas/loadbalancers`: CRUD, cascade delete, status tree, stats and failover.
struct LoadBalancerController {
    let support: ControllerSupport
    var store: any APIStore { support.store }

    static let providers: Set<String> = ["amphora", "octavia"]

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("lbaas/loadbalancers", use: list)
        group.post("lbaas/loadbalancers", use: create)
        group.get("lbaas/loadbalancers/:id", use: show)
        group.put("lbaas/loadbalancers/:id", use: update)
        group.delete("lbaas/loadbalancers/:id", use: delete)
        group.get("lbaas/loadbalancers/:id/status", use: status)
        group.get("lbaas/loadbalancers/:id/statuses", use: status)
        group.get("lbaas/loadbalancers/:id/stats", use: stats)
        group.put("lbaas/loadbalancers/:id/failover", use: failover)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        var objects: [JSONValue] = []
        for lb in try await store.resources(.loadBalancer, query: ResourceQuery(projectID: identity.scope)) {
            objects.append(try await support.render(lb))
        }
        return try support.list(
            "loadbalancers", objects: objects, attributes: LoadBalancerBody.attributeNames, request: request)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let lb = try await support.fetch(ResourceRef(.loadBalancer, try support.id(context)), try context.caller())
        return try support.show("loadbalancer", try await support.render(lb), request: request)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let body = try await RequestBodyDecoder.decode(
            LoadBalancerWrite.self, root: "loadbalancer", allowed: LoadBalancerWrite.createAttributes,
            request: request, context: context)
        let write = body.value
        let project = try identity.projectForCreate(requested: write.projectID ?? write.tenantID)
        try checkUnsupported(write)
        let subnet = try await vipSubnet(write)
        let lb = write.makeLoadBalancer(id: support.makeID(), projectID: project, subnet: subnet)
        try lb.validate()
        guard Self.providers.contains(lb.provider) else {
            throw APIError.badRequest("Provider '\(lb.provider)' is not enabled.")
        }
        let receipt = try await store.create(
            .loadBalancer(lb), options: CreateOptions(),
            task: support.task(.loadBalancerCreate, ["id": .string(lb.id)]))
        return try support.show(
            "loadbalancer", try await support.render(receipt.resource ?? .loadBalancer(lb)), request: request,
            status: .created)
    }

    func checkUnsupported(_ write: LoadBalancerWrite) throws {
        if write.vipPortID != nil {
            throw UnsupportedOptionError(provider: "amphora", field: "vip_port_id", "VIP ports are not supported.")
        }
        if !(write.additionalVips ?? []).isEmpty {
            throw UnsupportedOptionError(
                provider: "amphora", field: "additional_vips", "Additional VIPs are not supported.")
        }
        if !(write.vipSGIDs ?? []).isEmpty {
            throw UnsupportedOptionError(
                provider: "amphora", field: "vip_sg_ids", "VIP security groups are not supported.")
        }
        if !(write.listeners ?? []).isEmpty || !(write.pools ?? []).isEmpty {
            throw UnsupportedOptionError(
                provider: "amphora", field: "listeners", "Single-call (graph) create is not supported yet.")
        }
        if let flavor = write.flavorID {
            throw APIError.badRequest("Flavor \(flavor) not found.")
        }
        if let zone = write.availabilityZone {
            throw APIError.badRequest("Availability zone \(zone) not found.")
        }
    }

    /// The configured subnet named by `vip_subnet_id` (id or name) or the first of `vip_network_id`.
    func vipSubnet(_ write: LoadBalancerWrite) async throws -> Subnet {
        let subnets = try await store.subnets()
        if let wanted = write.vipSubnetID {
            guard let subnet = subnets.first(where: { $0.id == wanted || $0.name == wanted }) else {
                throw APIError.badRequest(
                    "Invalid input for field/attribute vip_subnet_id. Subnet \(wanted) not found.")
            }
            if let network = write.vipNetworkID, network != subnet.networkID {
                throw APIError.badRequest("Subnet \(wanted) is not on network \(network).")
            }
            return subnet
        }
        if let network = write.vipNetworkID {
            guard let subnet = subnets.first(where: { $0.networkID == network }) else {
                throw APIError.badRequest(
                    "Invalid input for field/attribute vip_network_id. Network \(network) not found.")
            }
            return subnet
        }
        throw APIError.badRequest(
            "Invalid input for field/attribute vip_subnet_id: one of vip_subnet_id, vip_network_id or vip_port_id is required."
        )
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let found = try await support.fetch(ResourceRef(.loadBalancer, try support.id(context)), identity)
        guard case .loadBalancer(let lb) = found else { throw StoreError.notFound(found.ref) }
        let body = try await RequestBodyDecoder.decode(
            LoadBalancerWrite.self, root: "loadbalancer", allowed: LoadBalancerWrite.updateAttributes,
            request: request, context: context)
        if body.value.vipQosPolicyID != nil || !(body.value.vipSGIDs ?? []).isEmpty {
            throw UnsupportedOptionError(provider: "amphora", "VIP QoS policies and security groups are not supported.")
        }
        let updated = body.value.apply(to: lb, nulls: body.nulls)
        try updated.validate()
        let receipt = try await store.update(
            .loadBalancer(updated), task: support.task(.loadBalancerUpdate, ["id": .string(lb.id)]))
        return try support.show(
            "loadbalancer", try await support.render(receipt.resource ?? .loadBalancer(updated)), request: request)
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let id = try support.id(context)
        let cascade = QueryParameters(request.uri.query).flag("cascade")
        _ = try await store.delete(
            ResourceRef(.loadBalancer, id), projectID: identity.scope, cascade: cascade,
            task: support.task(.loadBalancerDelete, ["id": .string(id), "cascade": .bool(cascade)]))
        return Reply.empty(.noContent)
    }

    @Sendable func failover(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let id = try support.id(context)
        _ = try await support.fetch(ResourceRef(.loadBalancer, id), identity)
        _ = try await store.failoverLoadBalancer(
            id: id, projectID: identity.scope, task: support.task(.loadBalancerFailover, ["id": .string(id)]))
        return Reply.empty(.accepted)
    }

    @Sendable func stats(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try await support.fetch(ResourceRef(.loadBalancer, try support.id(context)), try context.caller())
        return try Reply.encodable(["stats": StatsBody()])
    }

    @Sendable func status(_ request: Request, context: APIRequestContext) async throws -> Response {
        let found = try await support.fetch(ResourceRef(.loadBalancer, try support.id(context)), try context.caller())
        guard case .loadBalancer(let lb) = found else { throw StoreError.notFound(found.ref) }
        return try Reply.encodable(["statuses": try await StatusTreeBuilder(store: store).tree(lb)])
    }
}
