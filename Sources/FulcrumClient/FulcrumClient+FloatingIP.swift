import Foundation
public import FulcrumAPITypes

extension FulcrumClient {
    /// `POST /v2/fulcrum/floatingips`: forward `address:port` (the server's default address when `nil`) to the
    /// load balancer's VIP on `protocolPort` (the server's default, 80, when `nil`).
    public func createFloatingIP(
        loadBalancer: String, address: String?, port: Int, protocolPort: Int?
    ) async throws -> FloatingIPBody {
        var attributes: [String: JSONValue] = ["loadbalancer_id": .string(loadBalancer), "floating_port": .int(port)]
        if let address { attributes["floating_ip_address"] = .string(address) }
        if let protocolPort { attributes["protocol_port"] = .int(protocolPort) }
        let reply = try await send(
            "POST", "/v2/fulcrum/floatingips", body: .object(["floatingip": .object(attributes)]))
        return try object(FloatingIPBody.self, "floatingip", reply)
    }

    /// `GET /v2/fulcrum/floatingips[?loadbalancer_id=]`.
    public func floatingIPs(loadBalancer: String? = nil) async throws -> [FloatingIPBody] {
        let query = loadBalancer.map {
            "?loadbalancer_id=" + ($0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? $0)
        }
        return try object(
            [FloatingIPBody].self, "floatingips", try await send("GET", "/v2/fulcrum/floatingips" + (query ?? "")))
    }

    /// `GET /v2/fulcrum/floatingips/{id}`.
    public func floatingIP(_ id: String) async throws -> FloatingIPBody {
        try object(FloatingIPBody.self, "floatingip", try await send("GET", "/v2/fulcrum/floatingips/\(id)"))
    }

    /// `DELETE /v2/fulcrum/floatingips/{id}`.
    public func deleteFloatingIP(_ id: String) async throws {
        _ = try await send("DELETE", "/v2/fulcrum/floatingips/\(id)")
    }
}
