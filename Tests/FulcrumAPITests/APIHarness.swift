import Foundation
import FulcrumAPI
import FulcrumAPITypes
import FulcrumModel
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A real SQLite store in a temp file, the API router on top, and tokens for two projects.
struct APIHarness {
    let fixture: StoreFixture
    let server: APIServer

    static let adminToken = "admin-secret-token"
    static let memberA = "token-member-a"
    static let memberB = "token-member-b"
    static let observerA = "token-observer-a"
    static let expiredA = "token-expired-a"

    init(
        defaultQuota: Quota = .seedDefaults, noauth: Bool = false, floatingIPs: FloatingIPConfiguration = .init(),
        metrics: APIMetrics = .disabled
    ) async throws {
        fixture = try await StoreFixture(defaultQuota: defaultQuota)
        let store = fixture.store
        let created = Date(timeIntervalSince1970: 1_700_000_000)
        try await store.insertToken(
            APIToken(
                hash: TokenDigest.hash(Self.memberA), projectID: "project-a", roles: [.member], expiresAt: nil,
                createdAt: created))
        try await store.insertToken(
            APIToken(
                hash: TokenDigest.hash(Self.memberB), projectID: "project-b", roles: [.member], expiresAt: nil,
                createdAt: created))
        try await store.insertToken(
            APIToken(
                hash: TokenDigest.hash(Self.observerA), projectID: "project-a", roles: [.observer], expiresAt: nil,
                createdAt: created))
        try await store.insertToken(
            APIToken(
                hash: TokenDigest.hash(Self.expiredA), projectID: "project-a", roles: [.member],
                expiresAt: Date(timeIntervalSinceNow: -60), createdAt: created))
        let authenticator = Authenticator(
            strategy: noauth ? .noauth : .token(adminToken: Self.adminToken), tokens: store)
        var logger = Logger(label: "fulcrum-api-test")
        logger.logLevel = .critical
        server = APIServer(
            store: store, queue: store.queue, authenticator: authenticator, logger: logger, floatingIPs: floatingIPs,
            metrics: metrics)
    }

    /// Serves the router on a free port of 127.0.0.1 and runs `body` with its base URL (`http://127.0.0.1:PORT`).
    func live(_ body: @Sendable (String) async throws -> Void) async throws {
        let app = Application(
            router: server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(try #require(client.port))")
        }
    }

    /// Runs `body` against the router (no sockets).
    func run(logger: Logger? = nil, _ body: @Sendable (APIClient) async throws -> Void) async throws {
        let app = Application(router: server.router(), logger: logger ?? Logger(label: "fulcrum-api-test"))
        try await app.test(.router) { client in
            try await body(APIClient(client: client))
        }
    }
}

/// A status code and parsed JSON body.
struct APIReply: Sendable {
    var status: HTTPResponse.Status
    var json: JSONValue?
    var text: String

    subscript(key: String) -> JSONValue? { json?[key] }

    /// The Octavia fault string.
    var fault: String? { json?["faultstring"]?.stringValue }
}

/// Small JSON helpers over Hummingbird's test client.
struct APIClient: Sendable {
    let client: any TestClientProtocol

    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = APIHarness.memberA, body: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> APIReply {
        var headers = extra
        if let token { headers[HTTPField.Name("X-Auth-Token")!] = token }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) { response in
            let text = String(buffer: response.body)
            let json = text.isEmpty ? nil : try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            return APIReply(status: response.status, json: json, text: text)
        }
    }

    func get(_ uri: String, token: String? = APIHarness.memberA) async throws -> APIReply {
        try await call(.get, uri, token: token)
    }

    func post(_ uri: String, _ body: String, token: String? = APIHarness.memberA) async throws -> APIReply {
        try await call(.post, uri, token: token, body: body)
    }

    func put(_ uri: String, _ body: String, token: String? = APIHarness.memberA) async throws -> APIReply {
        try await call(.put, uri, token: token, body: body)
    }

    func delete(_ uri: String, token: String? = APIHarness.memberA) async throws -> APIReply {
        try await call(.delete, uri, token: token)
    }

    /// Creates a load balancer on `private-subnet` and returns its id.
    func createLoadBalancer(name: String = "lb", token: String = APIHarness.memberA) async throws -> String {
        let reply = try await post(
            "/v2/lbaas/loadbalancers", #"{"loadbalancer": {"name": "\#(name)", "vip_subnet_id": "private-subnet"}}"#,
            token: token)
        guard reply.status == .created, let id = reply["loadbalancer"]?["id"]?.stringValue else {
            throw HarnessError(message: "create failed: \(reply.status) \(reply.text)")
        }
        return id
    }

    /// POSTs `body` to `path` and returns the new object's id (expects 201).
    func create(_ path: String, root: String, _ body: String, token: String = APIHarness.memberA) async throws -> String
    {
        let reply = try await post(path, body, token: token)
        guard reply.status == .created, let id = reply[root]?["id"]?.stringValue else {
            throw HarnessError(message: "create \(root) failed: \(reply.status) \(reply.text)")
        }
        return id
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension APIHarness {
    /// A full ACTIVE tree built through the API: LB → HTTP listener → default HTTP pool → member + HTTP
    /// monitor, L7 policy with one rule.
    func activeTree(_ api: APIClient, token: String = APIHarness.memberA) async throws -> APITree {
        let lb = try await api.createLoadBalancer(token: token)
        try await fixture.completeAll()
        let listener = try await api.create(
            "/v2/lbaas/listeners", root: "listener",
            #"{"listener": {"loadbalancer_id": "\#(lb)", "protocol": "HTTP", "protocol_port": 80}}"#, token: token)
        try await fixture.completeAll()
        let pool = try await api.create(
            "/v2/lbaas/pools", root: "pool",
            #"{"pool": {"listener_id": "\#(listener)", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}"#,
            token: token)
        try await fixture.completeAll()
        let member = try await api.create(
            "/v2/lbaas/pools/\(pool)/members", root: "member",
            #"{"member": {"address": "198.51.100.16", "protocol_port": 80}}"#, token: token)
        try await fixture.completeAll()
        let monitor = try await api.create(
            "/v2/lbaas/healthmonitors", root: "healthmonitor",
            #"{"healthmonitor": {"pool_id": "\#(pool)", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2}}"#,
            token: token)
        try await fixture.completeAll()
        let policy = try await api.create(
            "/v2/lbaas/l7policies", root: "l7policy",
            #"{"l7policy": {"listener_id": "\#(listener)", "action": "REJECT"}}"#, token: token)
        try await fixture.completeAll()
        let rule = try await api.create(
            "/v2/lbaas/l7policies/\(policy)/rules", root: "rule",
            #"{"rule": {"type": "PATH", "compare_type": "STARTS_WITH", "value": "/api"}}"#, token: token)
        try await fixture.completeAll()
        return APITree(
            lb: lb, listener: listener, pool: pool, member: member, monitor: monitor, policy: policy, rule: rule)
    }
}

/// Ids of an `activeTree`.
struct APITree: Sendable {
    var lb, listener, pool, member, monitor, policy, rule: String
}
