import FulcrumAPITypes
import FulcrumModel
import FulcrumStore
import Hummingbird

/// `/fulcrum/floatingips` (a Fulcrum extension; Octavia has no floating IPs, so not under `lbaas`): associate a
/// host address and port with a load balancer's VIP port (201), list (`?loadbalancer_id=`), show, disassociate
/// (204). Only a row is written; the forwarder in `fulcrum-api` picks it up on its next poll.
struct FloatingIPController {
    let support: ControllerSupport
    let configuration: FloatingIPConfiguration
    var store: any APIStore { support.store }

    func register(on group: Routes) {
        group.get("fulcrum/floatingips", use: list)
        group.post("fulcrum/floatingips", use: create)
        group.get("fulcrum/floatingips/:id", use: show)
        group.delete("fulcrum/floatingips/:id", use: delete)
    }

    func floatingIP(_ context: APIRequestContext, _ identity: Identity) async throws -> FloatingIP {
        let id = try support.id(context)
        guard let found = try await store.floatingIP(id: id, projectID: identity.scope) else {
            throw APIError.notFound("Floating IP \(id) not found.")
        }
        return found
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let objects = try await store.floatingIPs(projectID: identity.scope, loadBalancerID: nil).map {
            try JSONValue(encoding: FloatingIPBody($0))
        }
        return try support.list(
            "floatingips", objects: objects, attributes: FloatingIPBody.attributeNames, request: request)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let found = try await floatingIP(context, try context.caller())
        return try support.show("floatingip", try JSONValue(encoding: FloatingIPBody(found)), request: request)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let write = try await RequestBodyDecoder.decode(
            FloatingIPWrite.self, root: "floatingip", allowed: FloatingIPWrite.createAttributes, request: request,
            context: context
        ).value
        let lbID = try required(write.loadbalancerID, "loadbalancer_id")
        let port = try required(write.floatingPort, "floating_port")
        let addressText = write.floatingIPAddress ?? FloatingIPWrite.defaultAddress
        guard let address = IPv4Address(addressText) else {
            throw APIError.badRequest(
                "Invalid input for field/attribute floating_ip_address. Value: '\(addressText)'. "
                    + "Value should be an IPv4 address")
        }
        // The body is checked first (400), then the load balancer (404), which also gives the project.
        var floatingIP = FloatingIP(
            id: support.makeID(), projectID: "", loadBalancerID: lbID, floatingAddress: address, floatingPort: port,
            listenerPort: write.protocolPort ?? FloatingIPWrite.defaultProtocolPort)
        try floatingIP.validate(allowedNetworks: configuration.allowedNetworks)
        floatingIP.projectID = try await support.fetch(ResourceRef(.loadBalancer, lbID), identity).projectID
        if configuration.isReserved(floatingIP) {
            throw StoreError(.conflict, "Floating IP \(floatingIP.floatingEndpoint) is reserved by Fulcrum itself.")
        }
        let stored = try await store.createFloatingIP(floatingIP)
        return try support.show(
            "floatingip", try JSONValue(encoding: FloatingIPBody(stored)), request: request, status: .created)
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        try await store.deleteFloatingIP(id: try support.id(context), projectID: identity.scope)
        return Reply.empty(.noContent)
    }
}
