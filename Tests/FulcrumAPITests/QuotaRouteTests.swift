import FulcrumAPITypes
import FulcrumModel
import FulcrumTestSupport
import HTTPTypes
import Testing

@Suite("Quota routes")
struct QuotaRouteTests {
    @Test("seed defaults: the 11th load balancer and the 11th pool are 403 'Quota has been met'")
    func seedDefaults() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            var first = ""
            for index in 0..<10 {
                let id = try await api.createLoadBalancer(name: "lb\(index)")
                if index == 0 { first = id }
            }
            let over = try await api.post(
                "/v2/lbaas/loadbalancers", #"{"loadbalancer": {"vip_subnet_id": "private-subnet"}}"#)
            #expect(over.status == .forbidden)
            #expect(over.fault?.hasPrefix("Quota has been met for resources: Load Balancer") == true)
            #expect(
                try await api.createLoadBalancer(token: APIHarness.memberB).isEmpty == false,
                "another project has its own quota")
            try await harness.fixture.completeAll()
            for index in 0..<10 {
                _ = try await api.create(
                    "/v2/lbaas/pools", root: "pool",
                    #"{"pool": {"loadbalancer_id": "\#(first)", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN", "name": "p\#(index)"}}"#
                )
                try await harness.fixture.completeAll()
            }
            let pool = try await api.post(
                "/v2/lbaas/pools",
                #"{"pool": {"loadbalancer_id": "\#(first)", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}}"#)
            #expect(pool.status == .forbidden)
            #expect(pool.fault?.contains("Pool") == true)
        }
    }

    @Test("admin PUT 202 returns the quota; GET shows it; DELETE 202 resets; /default shows the config defaults")
    func setShowReset() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let admin = APIHarness.adminToken
            let set = try await api.put(
                "/v2/lbaas/quotas/project-a", #"{"quota": {"load_balancer": 1, "listener": 7}}"#, token: admin)
            #expect(set.status == .accepted)
            #expect(set["quota"]?["loadbalancer"] == .int(1))
            #expect(set["quota"]?["load_balancer"] == .int(1))
            #expect(set["quota"]?["listener"] == .int(7))
            #expect(set["quota"]?["pool"] == .int(10))
            let shown = try await api.get("/v2/lbaas/quotas/project-a")
            #expect(shown["quota"]?["loadbalancer"] == .int(1))
            _ = try await api.createLoadBalancer()
            let over = try await api.post(
                "/v2/lbaas/loadbalancers", #"{"loadbalancer": {"vip_subnet_id": "private-subnet"}}"#)
            #expect(over.status == .forbidden)
            let list = try await api.get("/v2/lbaas/quotas", token: admin)
            #expect(list["quotas"]?.arrayValue?.map { $0["project_id"] } == [.string("project-a")])
            #expect(try await api.delete("/v2/lbaas/quotas/project-a", token: admin).status == .accepted)
            #expect(try await api.get("/v2/lbaas/quotas/project-a")["quota"]?["loadbalancer"] == .int(10))
            let defaults = try await api.get("/v2/lbaas/quotas/project-a/default")
            #expect(defaults["quota"]?["pool"] == .int(10))
            #expect(defaults["quota"]?["member"] == .int(-1))
        }
    }

    @Test("members may not set quotas or read another project's; invalid values are 400")
    func rules() async throws {
        try await APIHarness().run { api in
            #expect(try await api.put("/v2/lbaas/quotas/project-a", #"{"quota": {"pool": 1}}"#).status == .forbidden)
            #expect(try await api.get("/v2/lbaas/quotas/project-b").status == .forbidden)
            let admin = APIHarness.adminToken
            let low = try await api.put("/v2/lbaas/quotas/project-a", #"{"quota": {"pool": -2}}"#, token: admin)
            #expect(low.status == .badRequest)
            let unknown = try await api.put("/v2/lbaas/quotas/project-a", #"{"quota": {"pools": 1}}"#, token: admin)
            #expect(unknown.status == .badRequest)
        }
    }
}
