import FulcrumAPITypes
import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import HTTPTypes
import Testing

@Suite("Providers, catalogs, amphorae, Neutron-shaped subnets")
struct CatalogRouteTests {
    @Test("providers list amphora; the built-in flavors pick a topology; availability zones are empty lists")
    func catalogs() async throws {
        try await APIHarness().run { api in
            let providers = try await api.get("/v2/lbaas/providers")
            #expect(providers["providers"]?.arrayValue?.first?["name"] == .string("amphora"))
            let flavors = try await api.get("/v2/lbaas/flavors")["flavors"]?.arrayValue ?? []
            #expect(flavors.compactMap { $0["name"]?.stringValue } == ["single", "active-standby"])
            let profile = try #require(flavors.last?["flavor_profile_id"]?.stringValue)
            let shown = try await api.get("/v2/lbaas/flavorprofiles/\(profile)")["flavorprofile"]
            #expect(shown?["flavor_data"] == .string(#"{"loadbalancer_topology": "ACTIVE_STANDBY"}"#))
            let created = try await api.post(
                "/v2/lbaas/loadbalancers",
                #"{"loadbalancer": {"vip_subnet_id": "private-subnet", "flavor_id": "active-standby"}}"#)
            #expect(created["loadbalancer"]?["flavor_id"] == flavors.last?["id"])
            #expect(
                try await api.post(
                    "/v2/lbaas/loadbalancers",
                    #"{"loadbalancer": {"vip_subnet_id": "private-subnet", "flavor_id": "nope"}}"#
                ).status == .badRequest)
            #expect(try await api.get("/v2/lbaas/flavorprofiles")["flavorprofile_links"] == .array([]))
            #expect(try await api.get("/v2/lbaas/availabilityzones")["availability_zones"] == .array([]))
            #expect(
                try await api.get("/v2/lbaas/availabilityzoneprofiles")["availability_zone_profile_links"] == .array([])
            )
            #expect(try await api.get("/v2/lbaas/flavors/x").status == .notFound)
            #expect(try await api.get("/v2/lbaas/providers/amphora/flavor_capabilities").status == .ok)
        }
    }

    @Test("subnets and networks are Neutron-shaped and filterable by name and id, under /v2.0 and /v2")
    func subnets() async throws {
        try await APIHarness().run { api in
            let byName = try await api.get("/v2.0/subnets?name=private-subnet")
            let subnet = try #require(byName["subnets"]?.arrayValue?.first)
            #expect(subnet["id"] == .string("private-subnet"))
            #expect(subnet["cidr"] == .string("198.51.100.0/24"))
            #expect(subnet["gateway_ip"] == .string("198.51.100.1"))
            #expect(subnet["ip_version"] == .int(4))
            #expect(subnet["network_id"] == .string("private-subnet-net"))
            #expect(subnet["allocation_pools"]?.arrayValue?.first?["start"] == .string("198.51.100.10"))
            #expect(subnet["enable_dhcp"] == .bool(false))
            #expect(try await api.get("/v2/subnets?name=other")["subnets"] == .array([]))
            #expect(try await api.get("/v2.0/subnets/private-subnet")["subnet"]?["name"] == .string("private-subnet"))
            #expect(try await api.get("/v2.0/subnets/nope").status == .notFound)
            let network = try await api.get("/v2.0/networks?id=private-subnet-net")
            #expect(network["networks"]?.arrayValue?.first?["subnets"] == .array([.string("private-subnet")]))
        }
    }

    @Test("amphorae are admin-only; failover of an amphora locks its LB (202, then 409)")
    func amphorae() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let lb = try await api.createLoadBalancer()
            try await harness.fixture.completeAll()
            let amphora = Amphora(id: "amp-1", loadBalancerID: lb, role: .standalone, status: .allocated)
            try await harness.fixture.store.insertAmphora(amphora)
            #expect(try await api.get("/v2/octavia/amphorae").status == .forbidden)
            let admin = APIHarness.adminToken
            let list = try await api.get("/v2/octavia/amphorae?loadbalancer_id=\(lb)", token: admin)
            #expect(list["amphorae"]?.arrayValue?.first?["role"] == .string("STANDALONE"))
            #expect(
                try await api.get("/v2/octavia/amphorae/amp-1", token: admin)["amphora"]?["status"]
                    == .string("ALLOCATED"))
            #expect(try await api.call(.put, "/v2/octavia/amphorae/amp-1/failover", token: admin).status == .accepted)
            #expect(try await api.call(.put, "/v2/octavia/amphorae/amp-1/failover", token: admin).status == .conflict)
            #expect(try await api.get("/v2/octavia/amphorae/nope", token: admin).status == .notFound)
            let before = try await harness.fixture.taskCount()
            #expect(try await api.call(.put, "/v2/octavia/amphorae/amp-1/config", token: admin).status == .accepted)
            #expect(try await harness.fixture.taskCount() == before + 1)
            var kinds: [String] = []
            for _ in 0..<5 {
                guard let claimed = try await harness.fixture.store.queue.claim(owner: "t") else { break }
                kinds.append(claimed.task.kind)
                try await harness.fixture.store.queue.complete(
                    claimed.lease, changes: claimed.task.lockSet?.onSuccess ?? [])
            }
            #expect(kinds == ["amphora.failover", "amphora.config"])
        }
    }

    @Test("an Accept header without JSON is 406; JSON, */* and no Accept are served")
    func accept() async throws {
        try await APIHarness().run { api in
            let html = try await api.call(.get, "/v2/lbaas/loadbalancers", headers: [.accept: "text/html"])
            #expect(html.status == .notAcceptable)
            #expect(html["faultcode"] == .string("Client"))
            for value in ["application/json", "*/*", "text/html, application/json;q=0.9"] {
                #expect(try await api.call(.get, "/v2/lbaas/loadbalancers", headers: [.accept: value]).status == .ok)
            }
        }
    }

    @Test("unknown paths are 404 with a fault body")
    func unknownPath() async throws {
        try await APIHarness().run { api in
            let reply = try await api.get("/v2/lbaas/nothing-here")
            #expect(reply.status == .notFound)
            #expect(reply["faultcode"] == .string("Client"))
            #expect(reply.fault == "The resource could not be found.")
            let wrongMethod = try await api.call(.patch, "/v2/lbaas/loadbalancers")
            #expect(wrongMethod.status == .notFound || wrongMethod.status == .methodNotAllowed)
        }
    }
}
