import FulcrumAPITypes
import FulcrumModel
import FulcrumSQLite
import FulcrumTestSupport
import HTTPTypes
import Testing

@Suite("Load balancer routes")
struct LoadBalancerRouteTests {
    @Test("GET / lists v2.0 … v2.30, the last CURRENT, without a token")
    func versions() async throws {
        try await APIHarness().run { api in
            let reply = try await api.get("/", token: nil)
            #expect(reply.status == .ok)
            let versions = try #require(reply["versions"]?.arrayValue)
            #expect(versions.count == 31)
            #expect(versions.first?["id"] == .string("v2.0"))
            #expect(versions.last?["id"] == .string("v2.30"))
            #expect(versions.last?["status"] == .string("CURRENT"))
            #expect(versions.dropLast().allSatisfy { $0["status"] == .string("SUPPORTED") })
        }
    }

    @Test("POST 201 PENDING_CREATE with a VIP, then ACTIVE once the worker completes; both prefixes")
    func createAndShow() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let reply = try await api.post(
                "/v2/lbaas/loadbalancers",
                #"{"loadbalancer": {"name": "web", "vip_subnet_id": "private-subnet", "tags": ["t1"]}}"#)
            #expect(reply.status == .created)
            let lb = try #require(reply["loadbalancer"])
            #expect(lb["provisioning_status"] == .string("PENDING_CREATE"))
            #expect(lb["operating_status"] == .string("OFFLINE"))
            #expect(lb["project_id"] == .string("project-a"))
            #expect(lb["tenant_id"] == .string("project-a"))
            #expect(lb["vip_address"] == .string("198.51.100.10"))
            #expect(lb["vip_subnet_id"] == .string("private-subnet"))
            #expect(lb["vip_network_id"] == .string("private-subnet-net"))
            #expect(lb["provider"] == .string("amphora"))
            #expect(lb["admin_state_up"] == .bool(true))
            #expect(lb["description"] == .string(""))
            #expect(lb["flavor_id"] == .null)
            #expect(lb["updated_at"] == .null)
            #expect(lb["listeners"] == .array([]))
            #expect(lb["tags"] == .array([.string("t1")]))
            let id = try #require(lb["id"]?.stringValue)
            try await harness.fixture.completeAll()
            let shown = try await api.get("/v2.0/lbaas/loadbalancers/\(id)")
            #expect(shown.status == .ok)
            #expect(shown["loadbalancer"]?["provisioning_status"] == .string("ACTIVE"))
            let tasks = try await harness.fixture.store.queue.counts()
            #expect(tasks.values.reduce(0, +) == 1)
        }
    }

    @Test("PUT 200 PENDING_UPDATE; a second PUT while pending is 409; DELETE 204; GET afterwards 404")
    func updateDeleteAndLocking() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let id = try await api.createLoadBalancer()
            let early = try await api.put("/v2/lbaas/loadbalancers/\(id)", #"{"loadbalancer": {"name": "x"}}"#)
            #expect(early.status == .conflict)
            #expect(early["faultcode"] == .string("Client"))
            #expect(early.fault == "Invalid state PENDING_CREATE of loadbalancer resource \(id)")
            try await harness.fixture.completeAll()
            let update = try await api.put(
                "/v2/lbaas/loadbalancers/\(id)", #"{"loadbalancer": {"name": "renamed", "description": null}}"#)
            #expect(update.status == .ok)
            #expect(update["loadbalancer"]?["name"] == .string("renamed"))
            #expect(update["loadbalancer"]?["provisioning_status"] == .string("PENDING_UPDATE"))
            let pendingDelete = try await api.delete("/v2/lbaas/loadbalancers/\(id)")
            #expect(pendingDelete.status == .conflict)
            let pendingFailover = try await api.put("/v2/lbaas/loadbalancers/\(id)/failover", "{}")
            #expect(pendingFailover.status == .conflict)
            try await harness.fixture.completeAll()
            let failover = try await api.call(.put, "/v2/lbaas/loadbalancers/\(id)/failover")
            #expect(failover.status == .accepted)
            try await harness.fixture.completeAll()
            let delete = try await api.delete("/v2/lbaas/loadbalancers/\(id)")
            #expect(delete.status == .noContent)
            try await harness.fixture.completeAll()
            #expect(try await api.get("/v2/lbaas/loadbalancers/\(id)").status == .notFound)
        }
    }

    @Test("strict bodies: unknown attribute, malformed JSON, wrong root, wrong type, bad enum are 400 faults")
    func strictBodies() async throws {
        try await APIHarness().run { api in
            let cases: [(String, String)] = [
                (#"{"loadbalancer": {"vip_subnet_id": "private-subnet", "colour": "red"}}"#, "colour"),
                (#"{"loadbalancer": {"vip_subnet_id": "private-subnet""#, "Malformed JSON"),
                (#"{"lb": {"vip_subnet_id": "private-subnet"}}"#, "root key"),
                (#"{"loadbalancer": {"vip_subnet_id": "private-subnet"}, "x": 1}"#, "x"),
                (
                    #"{"loadbalancer": {"vip_subnet_id": "private-subnet", "admin_state_up": "maybe"}}"#,
                    "admin_state_up"
                ),
                (#"{"loadbalancer": {"name": "no-vip"}}"#, "vip_subnet_id"),
                (#"{"loadbalancer": {"vip_subnet_id": "nope"}}"#, "nope"),
                (#"[1, 2]"#, "root key"),
                ("", "Missing request body"),
            ]
            for (body, mention) in cases {
                let reply = try await api.call(.post, "/v2/lbaas/loadbalancers", body: body)
                #expect(reply.status == .badRequest, "\(body)")
                #expect(reply["faultcode"] == .string("Client"))
                #expect(reply["debuginfo"] == .null)
                #expect(reply.fault?.contains(mention) == true, "\(body) → \(reply.text)")
            }
        }
    }

    @Test("bodies over 1 MiB are refused with 413")
    func bodyLimit() async throws {
        try await APIHarness().run { api in
            let name = String(repeating: "a", count: (1 << 20) + 10)
            let reply = try await api.post(
                "/v2/lbaas/loadbalancers", #"{"loadbalancer": {"name": "\#(name)", "vip_subnet_id": "private-subnet"}}"#
            )
            #expect(reply.status == .contentTooLarge)
            #expect(reply["faultcode"] == .string("Client"))
        }
    }

    @Test("validation failures are 400 with the model's message; unsupported options 501")
    func validationFamilies() async throws {
        try await APIHarness().run { api in
            let longName = String(repeating: "n", count: 256)
            let bad = try await api.post(
                "/v2/lbaas/loadbalancers",
                #"{"loadbalancer": {"name": "\#(longName)", "vip_subnet_id": "private-subnet"}}"#)
            #expect(bad.status == .badRequest)
            #expect(bad.fault?.contains("name") == true)
            let badVIP = try await api.post(
                "/v2/lbaas/loadbalancers",
                #"{"loadbalancer": {"vip_subnet_id": "private-subnet", "vip_address": "1.2.3"}}"#)
            #expect(badVIP.status == .badRequest)
            let port = try await api.post(
                "/v2/lbaas/loadbalancers", #"{"loadbalancer": {"vip_port_id": "p1"}}"#)
            #expect(port.status == .notImplemented)
            #expect(port["faultcode"] == .string("Server"))
        }
    }

    @Test("status tree and stats of an ACTIVE tree; cascade delete removes every child")
    func statusStatsAndCascade() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let tree = try await harness.activeTree(api)
            let status = try await api.get("/v2/lbaas/loadbalancers/\(tree.lb)/status")
            #expect(status.status == .ok)
            let lb = try #require(status["statuses"]?["loadbalancer"])
            #expect(lb["provisioning_status"] == .string("ACTIVE"))
            let listener = try #require(lb["listeners"]?.arrayValue?.first)
            #expect(listener["id"] == .string(tree.listener))
            let pool = try #require(listener["pools"]?.arrayValue?.first)
            #expect(pool["id"] == .string(tree.pool))
            #expect(pool["health_monitor"]?["id"] == .string(tree.monitor))
            #expect(pool["members"]?.arrayValue?.first?["address"] == .string("198.51.100.16"))
            #expect(try await api.get("/v2/lbaas/loadbalancers/\(tree.lb)/statuses").status == .ok)
            let stats = try await api.get("/v2/lbaas/loadbalancers/\(tree.lb)/stats")
            #expect(stats["stats"]?["bytes_in"] == .int(0))
            let noCascade = try await api.delete("/v2/lbaas/loadbalancers/\(tree.lb)")
            #expect(noCascade.status == .badRequest)
            let cascade = try await api.delete("/v2/lbaas/loadbalancers/\(tree.lb)?cascade=true")
            #expect(cascade.status == .noContent)
            try await harness.fixture.completeAll()
            #expect(try await api.get("/v2/lbaas/listeners/\(tree.listener)").status == .notFound)
            #expect(try await api.get("/v2/lbaas/pools/\(tree.pool)").status == .notFound)
            #expect(try await api.get("/v2/lbaas/healthmonitors/\(tree.monitor)").status == .notFound)
            #expect(try await api.get("/v2/lbaas/l7policies/\(tree.policy)").status == .notFound)
            #expect(try await api.get("/v2/lbaas/loadbalancers").json?["loadbalancers"] == .array([]))
        }
    }
}
