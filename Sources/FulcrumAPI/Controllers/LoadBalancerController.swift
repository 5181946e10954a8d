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

    func register(on group: Routes) {
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
        let scope = ResourceQuery(projectID: identity.scope)
        // Relations are loaded once for the whole list, not per load balancer.
        var listeners: [String: [String]] = [:]
        for case .listener(let listener) in try await store.resources(.listener, query: scope) {
            listeners[listener.loadBalancerID, default: []].append(listener.id)
        }
        var pools: [String: [String]] = [:]
        for case .pool(let pool) in try await store.resources(.pool, query: scope) {
            pools[pool.loadBalancerID, default: []].append(pool.id)
        }
        let floatingIPs = Dictionary(
            grouping: try await store.floatingIPs(projectID: identity.scope, loadBalancerID: nil), by: \.loadBalancerID)
        var objects: [JSONValue] = []
        for case .loadBalancer(let lb) in try await store.resources(.loadBalancer, query: scope) {
            objects.append(
                try JSONValue(
                    encoding: LoadBalancerBody(
                        lb, listeners: listeners[lb.id] ?? [], pools: pools[lb.id] ?? [],
                        floatingIPs: floatingIPs[lb.id] ?? [])))
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
        var lb = write.makeLoadBalancer(id: support.makeID(), projectID: project, subnet: subnet)
        // Octavia: the flavor profile's `loadbalancer_topology`, else the configured default.
        lb.topology = write.flavorID.flatMap(FlavorCatalog.flavor)?.topology ?? support.defaultTopology
        lb.flavorID = write.flavorID.flatMap(FlavorCatalog.flavor)?.id
        try lb.validate()
        guard Self.providers.contains(lb.provider) else {
            throw APIError.badRequest("Provider '\(lb.provider)' is not enabled.")
        }
        let task = support.task(.loadBalancerCreate, ["id": .string(lb.id)])
        if !(write.listeners ?? []).isEmpty || !(write.pools ?? []).isEmpty {
            var builder = GraphBuilder(lb: lb, makeID: support.makeID)
            let graph = try builder.build(listeners: write.listeners ?? [], pools: write.pools ?? [])
            _ = try await store.createGraph(graph, task: task)
            return try support.show("loadbalancer", try await fullGraph(lb.id), request: request, status: .created)
        }
        let receipt = try await store.create(.loadBalancer(lb), options: CreateOptions(), task: task)
        return try support.show(
            "loadbalancer", try await support.render(receipt.resource ?? .loadBalancer(lb)), request: request,
            status: .created)
    }

    /// Octavia's full response of a graph create: listeners (with L7 policies and rules) and pools (with
    /// members and health monitor) as whole objects.
    func fullGraph(_ id: String) async throws -> JSONValue {
        guard let lb = try await store.resource(ResourceRef(.loadBalancer, id), projectID: nil) else {
            throw StoreError.notFound(ResourceRef(.loadBalancer, id))
        }
        var body = try await support.render(lb).objectValue ?? [:]
        var listeners: [JSONValue] = []
        for listener in try await store.resources(.listener, query: ResourceQuery(parentID: id)) {
            var object = try await support.render(listener).objectValue ?? [:]
            var policies: [JSONValue] = []
            for policy in try await store.resources(.l7Policy, query: ResourceQuery(parentID: listener.ref.id)) {
                var policyObject = try await support.render(policy).objectValue ?? [:]
                var rules: [JSONValue] = []
                for rule in try await store.resources(.l7Rule, query: ResourceQuery(parentID: policy.ref.id)) {
                    rules.append(try await support.render(rule))
                }
                policyObject["rules"] = .array(rules)
                policies.append(.object(policyObject))
            }
            object["l7policies"] = .array(policies)
            listeners.append(.object(object))
        }
        var pools: [JSONValue] = []
        for pool in try await store.resources(.pool, query: ResourceQuery(parentID: id)) {
            var object = try await support.render(pool).objectValue ?? [:]
            var members: [JSONValue] = []
            for member in try await store.resources(.member, query: ResourceQuery(parentID: pool.ref.id)) {
                members.append(try await support.render(member))
            }
            object["members"] = .array(members)
            let monitors = try await store.resources(.healthMonitor, query: ResourceQuery(parentID: pool.ref.id))
            if let monitor = monitors.first {
                object["healthmonitor"] = try await support.render(monitor)
            } else {
                object["healthmonitor"] = .null
            }
            pools.append(.object(object))
        }
        body["listeners"] = .array(listeners)
        body["pools"] = .array(pools)
        return .object(body)
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
        if let flavor = write.flavorID, FlavorCatalog.flavor(flavor) == nil {
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
        let id = try support.id(context)
        _ = try await support.fetch(ResourceRef(.loadBalancer, id), try context.caller())
        return try Reply.encodable(["stats": StatsBody(try await store.loadBalancerStatistics(loadBalancerID: id))])
    }

    @Sendable func status(_ request: Request, context: APIRequestContext) async throws -> Response {
        let found = try await support.fetch(ResourceRef(.loadBalancer, try support.id(context)), try context.caller())
        guard case .loadBalancer(let lb) = found else { throw StoreError.notFound(found.ref) }
        return try Reply.encodable(["statuses": try await StatusTreeBuilder(store: store).tree(lb)])
    }
}
