import FulcrumAPITypes
import FulcrumTestSupport
import HTTPTypes
import Testing

@Suite("Single-call (graph) load-balancer create")
struct GraphCreateTests {
    static let graph = #"""
        {"loadbalancer": {"name": "graph", "vip_subnet_id": "private-subnet",
          "listeners": [{"name": "http", "protocol": "HTTP", "protocol_port": 80,
            "default_pool": {"name": "web", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
              "members": [{"address": "198.51.100.21", "protocol_port": 8080},
                          {"address": "198.51.100.22", "protocol_port": 8080}],
              "healthmonitor": {"type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2}},
            "l7policies": [{"redirect_pool": {"name": "api"},
              "rules": [{"type": "PATH", "compare_type": "STARTS_WITH", "value": "/api"}]}]}],
          "pools": [{"name": "api", "protocol": "HTTP", "lb_algorithm": "LEAST_CONNECTIONS",
            "members": [{"address": "198.51.100.23", "protocol_port": 9000}]}]}}
        """#

    @Test("creates the whole graph PENDING_CREATE in one task; the worker activates every object")
    func fullGraph() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let reply = try await api.post("/v2/lbaas/loadbalancers", Self.graph)
            #expect(reply.status == .created, "\(reply.text)")
            let lb = try #require(reply["loadbalancer"])
            let listener = try #require(lb["listeners"]?.arrayValue?.first)
            #expect(listener["provisioning_status"] == .string("PENDING_CREATE"))
            let policy = try #require(listener["l7policies"]?.arrayValue?.first)
            #expect(policy["action"] == .string("REDIRECT_TO_POOL"))
            #expect(policy["rules"]?.arrayValue?.count == 1)
            let pools = try #require(lb["pools"]?.arrayValue)
            #expect(pools.count == 2)
            let web = try #require(pools.first { $0["name"] == .string("web") })
            let api_ = try #require(pools.first { $0["name"] == .string("api") })
            #expect(listener["default_pool_id"] == web["id"])
            #expect(policy["redirect_pool_id"] == api_["id"])
            #expect(web["members"]?.arrayValue?.count == 2)
            #expect(web["members"]?.arrayValue?.first?["operating_status"] == .string("OFFLINE"))
            #expect(api_["members"]?.arrayValue?.first?["operating_status"] == .string("NO_MONITOR"))
            #expect(web["healthmonitor"]?["type"] == .string("HTTP"))
            #expect(try await harness.fixture.taskCount() == 1)
            try await harness.fixture.completeAll()
            let id = try #require(lb["id"]?.stringValue)
            let tree = try await api.get("/v2/lbaas/loadbalancers/\(id)/status")
            let node = try #require(tree["statuses"]?["loadbalancer"])
            #expect(node["provisioning_status"] == .string("ACTIVE"))
            let treePools = try #require(node["listeners"]?.arrayValue?.first?["pools"]?.arrayValue)
            #expect(treePools.count == 2)
            #expect(treePools.allSatisfy { $0["provisioning_status"] == .string("ACTIVE") })
            let members = treePools.flatMap { $0["members"]?.arrayValue ?? [] }
            #expect(members.count == 3)
            #expect(members.allSatisfy { $0["provisioning_status"] == .string("ACTIVE") })
        }
    }

    @Test("the quota is charged in bulk: eleven pools in one graph are 403 and nothing is written")
    func bulkQuota() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let pools = (0..<11).map { #"{"name": "p\#($0)", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}"# }
            let body =
                #"{"loadbalancer": {"vip_subnet_id": "private-subnet", "pools": [\#(pools.joined(separator: ","))]}}"#
            let reply = try await api.post("/v2/lbaas/loadbalancers", body)
            #expect(reply.status == .forbidden)
            #expect(reply.fault?.contains("Pool") == true)
            #expect(try await harness.fixture.taskCount() == 0)
            #expect(try await api.get("/v2/lbaas/loadbalancers")["loadbalancers"] == .array([]))
        }
    }

    @Test("bad graphs: an undefined pool reference, a nested unknown attribute, a duplicate port")
    func badGraphs() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let undefined = try await api.post(
                "/v2/lbaas/loadbalancers",
                #"{"loadbalancer": {"vip_subnet_id": "private-subnet", "listeners": [{"protocol": "HTTP", "protocol_port": 80, "default_pool": {"name": "ghost"}}]}}"#
            )
            #expect(undefined.status == .badRequest)
            #expect(undefined.fault?.contains("ghost") == true)
            let unknown = try await api.post(
                "/v2/lbaas/loadbalancers",
                #"{"loadbalancer": {"vip_subnet_id": "private-subnet", "pools": [{"protocol": "TCP", "lb_algorithm": "ROUND_ROBIN", "members": [{"address": "198.51.100.2", "protocol_port": 1, "colour": "red"}]}]}}"#
            )
            #expect(unknown.status == .badRequest)
            #expect(unknown.fault?.contains("colour") == true)
            let duplicate = try await api.post(
                "/v2/lbaas/loadbalancers",
                #"{"loadbalancer": {"vip_subnet_id": "private-subnet", "listeners": [{"protocol": "TCP", "protocol_port": 80}, {"protocol": "HTTP", "protocol_port": 80}]}}"#
            )
            #expect(duplicate.status == .conflict)
            #expect(try await harness.fixture.taskCount() == 0)
        }
    }
}
