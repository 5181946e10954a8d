import FulcrumAPITypes
import FulcrumModel
import FulcrumStore
import Hummingbird

/// Neutron-shaped, read-only `/v2.0/subnets` and `/v2.0/networks` built from the configured subnets, so
/// clients can resolve `--vip-subnet-id private-subnet` against this endpoint.
struct NetworkController {
    let support: ControllerSupport
    var store: any APIStore { support.store }

    func register(on group: Routes) {
        group.get("subnets", use: subnets)
        group.get("subnets/:id", use: subnet)
        group.get("networks", use: networks)
        group.get("networks/:id", use: network)
    }

    @Sendable func subnets(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.caller()
        let objects = try await store.subnets().map { try JSONValue(encoding: SubnetBody($0)) }
        return try support.list("subnets", objects: objects, attributes: SubnetBody.attributeNames, request: request)
    }

    @Sendable func subnet(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.caller()
        let id = try support.id(context)
        guard let subnet = try await store.subnets().first(where: { $0.id == id }) else {
            throw APIError.notFound("Subnet \(id) could not be found.")
        }
        return try support.show("subnet", try JSONValue(encoding: SubnetBody(subnet)), request: request)
    }

    func networkBodies() async throws -> [NetworkBody] {
        var order: [String] = []
        var members: [String: [String]] = [:]
        for subnet in try await store.subnets() {
            if members[subnet.networkID] == nil { order.append(subnet.networkID) }
            members[subnet.networkID, default: []].append(subnet.id)
        }
        return order.map { NetworkBody(id: $0, subnets: members[$0] ?? []) }
    }

    @Sendable func networks(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.caller()
        let objects = try await networkBodies().map { try JSONValue(encoding: $0) }
        return try support.list("networks", objects: objects, attributes: NetworkBody.attributeNames, request: request)
    }

    @Sendable func network(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try context.caller()
        let id = try support.id(context)
        guard let network = try await networkBodies().first(where: { $0.id == id }) else {
            throw APIError.notFound("Network \(id) could not be found.")
        }
        return try support.show("network", try JSONValue(encoding: network), request: request)
    }
}
