import Foundation
import FulcrumAPI
import FulcrumAPITypes
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import HTTPTypes
import Testing

@Suite("Authentication and RBAC")
struct AuthTests {
    @Test(
        "no token, an unknown token or an expired token is 401 on every resource path",
        arguments: [
            "/v2/lbaas/loadbalancers", "/v2.0/lbaas/listeners", "/v2/lbaas/pools", "/v2/lbaas/healthmonitors",
            "/v2/lbaas/l7policies", "/v2/lbaas/quotas", "/v2/lbaas/providers", "/v2/octavia/amphorae",
            "/v2.0/subnets", "/v2.0/networks",
        ])
    func unauthenticated(path: String) async throws {
        try await APIHarness().run { api in
            for token in [nil, "not-a-token", APIHarness.expiredA] {
                let reply = try await api.get(path, token: token)
                #expect(reply.status == .unauthorized, "\(path) with \(token ?? "no token")")
                #expect(reply["faultcode"] == .string("Client"))
            }
        }
    }

    @Test("observers read but every write is 403")
    func observer() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let tree = try await harness.activeTree(api)
            #expect(try await api.get("/v2/lbaas/loadbalancers/\(tree.lb)", token: APIHarness.observerA).status == .ok)
            let writes: [(HTTPRequest.Method, String, String?)] = [
                (.post, "/v2/lbaas/loadbalancers", #"{"loadbalancer": {"vip_subnet_id": "private-subnet"}}"#),
                (.put, "/v2/lbaas/loadbalancers/\(tree.lb)", #"{"loadbalancer": {"name": "x"}}"#),
                (.delete, "/v2/lbaas/loadbalancers/\(tree.lb)?cascade=true", nil),
                (.put, "/v2/lbaas/loadbalancers/\(tree.lb)/failover", nil),
                (
                    .post, "/v2/lbaas/pools/\(tree.pool)/members",
                    #"{"member": {"address": "198.51.100.9", "protocol_port": 1}}"#
                ),
                (.delete, "/v2/lbaas/l7policies/\(tree.policy)/rules/\(tree.rule)", nil),
            ]
            for (method, path, body) in writes {
                let reply = try await api.call(method, path, token: APIHarness.observerA, body: body)
                #expect(reply.status == .forbidden, "\(method) \(path)")
            }
            #expect(try await harness.fixture.taskCount() == 7)
        }
    }

    @Test("the admin token sees every project and may create for another project; members may not")
    func admin() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            _ = try await api.createLoadBalancer(name: "a", token: APIHarness.memberA)
            _ = try await api.createLoadBalancer(name: "b", token: APIHarness.memberB)
            let all = try await api.get("/v2/lbaas/loadbalancers", token: APIHarness.adminToken)
            #expect(all["loadbalancers"]?.arrayValue?.count == 2)
            let own = try await api.get("/v2/lbaas/loadbalancers", token: APIHarness.memberA)
            #expect(own["loadbalancers"]?.arrayValue?.map { $0["name"] } == [.string("a")])
            let forC = try await api.post(
                "/v2/lbaas/loadbalancers",
                #"{"loadbalancer": {"vip_subnet_id": "private-subnet", "project_id": "project-c"}}"#,
                token: APIHarness.adminToken)
            #expect(forC.status == .created)
            #expect(forC["loadbalancer"]?["project_id"] == .string("project-c"))
            let sneaky = try await api.post(
                "/v2/lbaas/loadbalancers",
                #"{"loadbalancer": {"vip_subnet_id": "private-subnet", "project_id": "project-b"}}"#)
            #expect(sneaky.status == .forbidden)
        }
    }

    @Test("noauth mode takes the project from X-Project-Id and admin from X-Roles")
    func noauth() async throws {
        let harness = try await APIHarness(noauth: true)
        try await harness.run { api in
            let project = HTTPField.Name("X-Project-Id")!
            let roles = HTTPField.Name("X-Roles")!
            let created = try await api.call(
                .post, "/v2/lbaas/loadbalancers", token: nil,
                body: #"{"loadbalancer": {"vip_subnet_id": "private-subnet"}}"#, headers: [project: "p-noauth"])
            #expect(created.status == .created)
            #expect(created["loadbalancer"]?["project_id"] == .string("p-noauth"))
            let other = try await api.call(.get, "/v2/lbaas/loadbalancers", token: nil, headers: [project: "p-other"])
            #expect(other["loadbalancers"] == .array([]))
            let admin = try await api.call(
                .get, "/v2/lbaas/loadbalancers", token: nil, headers: [project: "p-other", roles: "admin,member"])
            #expect(admin["loadbalancers"]?.arrayValue?.count == 1)
        }
    }

    @Test("tokens are stored only as SHA-256 hashes")
    func hashedAtRest() async throws {
        let harness = try await APIHarness()
        let stored = try await harness.fixture.store.token(hash: TokenDigest.hash(APIHarness.memberA))
        #expect(stored?.projectID == "project-a")
        #expect(stored?.roles == [.member])
        #expect(try await harness.fixture.store.token(hash: APIHarness.memberA) == nil)
        #expect(TokenDigest.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let raw = try Data(contentsOf: URL(fileURLWithPath: harness.fixture.databasePath))
        #expect(raw.range(of: Data(APIHarness.memberA.utf8)) == nil)
    }
}
