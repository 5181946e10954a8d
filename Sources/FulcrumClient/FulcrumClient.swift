public import AsyncHTTPClient
import Foundation
public import FulcrumAPITypes
import NIOCore
import NIOHTTP1

/// A failed API call: the HTTP status and Octavia's `faultstring`.
public struct FulcrumClientError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status code (0 when no response arrived).
    public var status: Int
    /// The server's `faultstring`, or a description of the transport failure.
    public var message: String

    public var description: String { status == 0 ? message : "\(status): \(message)" }
}

/// A small typed client of Fulcrum's Octavia v2 API, shared by the `fulcrum` CLI and tests.
public struct FulcrumClient: Sendable {
    let baseURL: String
    let token: String?
    let http: HTTPClient
    let timeout: TimeAmount

    /// A client of the API at `baseURL` (e.g. `http://127.0.0.1:9876`) sending `X-Auth-Token: token`.
    public init(baseURL: String, token: String?, http: HTTPClient = .shared, timeoutSeconds: Int64 = 30) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.http = http
        self.timeout = .seconds(timeoutSeconds)
    }

    /// Sends one request; returns the JSON body (`nil` for an empty one) or throws `FulcrumClientError`.
    public func send(_ method: String, _ path: String, body: JSONValue? = nil) async throws -> JSONValue? {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        if let token { request.headers.add(name: "X-Auth-Token", value: token) }
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try body.encoded()))
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch {
            throw FulcrumClientError(status: 0, message: "Cannot reach \(baseURL): \(error)")
        }
        let buffer = try await response.body.collect(upTo: 16 << 20)
        let data = Data(buffer.readableBytesView)
        let json = data.isEmpty ? nil : try? JSONDecoder().decode(JSONValue.self, from: data)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw FulcrumClientError(
                status: Int(response.status.code),
                message: json?["faultstring"]?.stringValue ?? String(decoding: data, as: UTF8.self))
        }
        return json
    }

    /// The object under `root` of a response, decoded.
    func object<T: Decodable>(_ type: T.Type, _ root: String, _ value: JSONValue?) throws -> T {
        guard let inner = value?[root] else {
            throw FulcrumClientError(status: 0, message: "The response has no '\(root)' object.")
        }
        return try JSONDecoder().decode(T.self, from: try inner.encoded())
    }

    /// The id of the object named `nameOrID` in `/v2/lbaas/<collection>` (Octavia's `?name=` filter); a value that
    /// names nothing is taken as an id. Several objects with that name is an error, as in the OpenStack client.
    public func resolve(_ collection: String, _ nameOrID: String) async throws -> String {
        try await resolve(in: "/v2/lbaas/\(collection)", key: collection, nameOrID)
    }

    /// The id of the object named `nameOrID` in the collection at `path` (e.g. `/v2/lbaas/pools/{id}/members`),
    /// whose list reply holds the objects under `key`.
    public func resolve(in path: String, key: String, _ nameOrID: String) async throws -> String {
        let query = nameOrID.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? nameOrID
        let reply = try await send("GET", "\(path)?name=\(query)")
        let matches = reply?[key]?.arrayValue ?? []
        if matches.count > 1 {
            throw FulcrumClientError(status: 0, message: "More than one \(key) is named '\(nameOrID)'; use an id.")
        }
        return matches.first?["id"]?.stringValue ?? nameOrID
    }

    /// The id of the subnet named `nameOrID` in `/v2.0/subnets` (a value that names none is taken as an id).
    public func resolveSubnet(_ nameOrID: String) async throws -> String {
        let subnets = try await send("GET", "/v2.0/subnets")?["subnets"]?.arrayValue ?? []
        let match =
            subnets.first { $0["id"]?.stringValue == nameOrID } ?? subnets.first { $0["name"]?.stringValue == nameOrID }
        return match?["id"]?.stringValue ?? nameOrID
    }

    // MARK: load balancers

    /// `POST /v2/lbaas/loadbalancers`.
    public func createLoadBalancer(name: String?, subnet: String) async throws -> LoadBalancerBody {
        var attributes: [String: JSONValue] = ["vip_subnet_id": .string(subnet)]
        if let name { attributes["name"] = .string(name) }
        let reply = try await send(
            "POST", "/v2/lbaas/loadbalancers", body: .object(["loadbalancer": .object(attributes)]))
        return try object(LoadBalancerBody.self, "loadbalancer", reply)
    }

    /// `GET /v2/lbaas/loadbalancers/{id}`.
    public func loadBalancer(_ id: String) async throws -> LoadBalancerBody {
        try object(LoadBalancerBody.self, "loadbalancer", try await send("GET", "/v2/lbaas/loadbalancers/\(id)"))
    }

    /// `GET /v2/lbaas/loadbalancers`.
    public func loadBalancers() async throws -> [LoadBalancerBody] {
        try object([LoadBalancerBody].self, "loadbalancers", try await send("GET", "/v2/lbaas/loadbalancers"))
    }

    /// `DELETE /v2/lbaas/loadbalancers/{id}[?cascade=true]`.
    public func deleteLoadBalancer(_ id: String, cascade: Bool) async throws {
        _ = try await send("DELETE", "/v2/lbaas/loadbalancers/\(id)" + (cascade ? "?cascade=true" : ""))
    }

    /// `PUT /v2/lbaas/loadbalancers/{id}/failover`.
    public func failoverLoadBalancer(_ id: String) async throws {
        _ = try await send("PUT", "/v2/lbaas/loadbalancers/\(id)/failover")
    }

    /// `GET /v2/lbaas/loadbalancers/{id}/stats`.
    public func loadBalancerStats(_ id: String) async throws -> StatsBody {
        try object(StatsBody.self, "stats", try await send("GET", "/v2/lbaas/loadbalancers/\(id)/stats"))
    }

    /// `GET /v2/lbaas/loadbalancers/{id}/status`.
    public func loadBalancerStatus(_ id: String) async throws -> StatusTree {
        try object(StatusTree.self, "statuses", try await send("GET", "/v2/lbaas/loadbalancers/\(id)/status"))
    }

    // MARK: children

    /// `POST /v2/lbaas/listeners`.
    public func createListener(
        loadBalancer: String, protocol proto: String, port: Int, name: String?
    ) async throws
        -> ListenerBody
    {
        var attributes: [String: JSONValue] = [
            "loadbalancer_id": .string(loadBalancer), "protocol": .string(proto), "protocol_port": .int(port),
        ]
        if let name { attributes["name"] = .string(name) }
        let reply = try await send("POST", "/v2/lbaas/listeners", body: .object(["listener": .object(attributes)]))
        return try object(ListenerBody.self, "listener", reply)
    }

    /// `POST /v2/lbaas/pools` on a listener (as its default pool) or a load balancer.
    public func createPool(
        listener: String?, loadBalancer: String?, protocol proto: String, algorithm: String, name: String?
    ) async throws -> PoolBody {
        var attributes: [String: JSONValue] = ["protocol": .string(proto), "lb_algorithm": .string(algorithm)]
        if let listener { attributes["listener_id"] = .string(listener) }
        if let loadBalancer { attributes["loadbalancer_id"] = .string(loadBalancer) }
        if let name { attributes["name"] = .string(name) }
        let reply = try await send("POST", "/v2/lbaas/pools", body: .object(["pool": .object(attributes)]))
        return try object(PoolBody.self, "pool", reply)
    }

    /// `POST /v2/lbaas/pools/{pool}/members`.
    public func createMember(
        pool: String, address: String, port: Int, weight: Int? = nil, name: String? = nil, subnet: String? = nil
    ) async throws -> MemberBody {
        var attributes: [String: JSONValue] = ["address": .string(address), "protocol_port": .int(port)]
        if let weight { attributes["weight"] = .int(weight) }
        if let name { attributes["name"] = .string(name) }
        if let subnet { attributes["subnet_id"] = .string(subnet) }
        let reply = try await send(
            "POST", "/v2/lbaas/pools/\(pool)/members", body: .object(["member": .object(attributes)]))
        return try object(MemberBody.self, "member", reply)
    }

    /// `POST /v2/lbaas/healthmonitors`.
    public func createHealthMonitor(
        pool: String, type: String, delay: Int, timeout: Int, maxRetries: Int, name: String? = nil
    ) async throws
        -> HealthMonitorBody
    {
        var attributes: [String: JSONValue] = [
            "pool_id": .string(pool), "type": .string(type), "delay": .int(delay), "timeout": .int(timeout),
            "max_retries": .int(maxRetries),
        ]
        if let name { attributes["name"] = .string(name) }
        let reply = try await send(
            "POST", "/v2/lbaas/healthmonitors", body: .object(["healthmonitor": .object(attributes)]))
        return try object(HealthMonitorBody.self, "healthmonitor", reply)
    }

    // MARK: quotas

    /// `PUT /v2/lbaas/quotas/{project}` with the given limits (keys `loadbalancer`, `pool` …).
    public func updateQuota(project: String, limits: [String: Int]) async throws -> QuotaBody {
        let attributes = limits.mapValues { JSONValue.int($0) }
        let reply = try await send("PUT", "/v2/lbaas/quotas/\(project)", body: .object(["quota": .object(attributes)]))
        return try object(QuotaBody.self, "quota", reply)
    }

    /// `GET /v2/lbaas/quotas/{project}`.
    public func quota(project: String) async throws -> QuotaBody {
        try object(QuotaBody.self, "quota", try await send("GET", "/v2/lbaas/quotas/\(project)"))
    }
}
