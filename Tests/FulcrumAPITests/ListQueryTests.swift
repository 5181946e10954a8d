import Foundation
import FulcrumAPITypes
import FulcrumTestSupport
import HTTPTypes
import Testing

@Suite("Lists: paging, sorting, filtering, fields")
struct ListQueryTests {
    /// Five load balancers lb0…lb4, lb1 and lb3 tagged "odd", lb4 disabled.
    func seed(_ api: APIClient) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<5 {
            let tags = index % 2 == 1 ? #"["odd", "all"]"# : #"["all"]"#
            let enabled = index == 4 ? "false" : "true"
            ids.append(
                try await api.create(
                    "/v2/lbaas/loadbalancers", root: "loadbalancer",
                    #"{"loadbalancer": {"name": "lb\#(index)", "vip_subnet_id": "private-subnet", "tags": \#(tags), "admin_state_up": \#(enabled)}}"#
                ))
        }
        return ids
    }

    func names(_ reply: APIReply) -> [String] {
        reply["loadbalancers"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    func link(_ reply: APIReply, _ rel: String) -> String? {
        let href = reply["loadbalancers_links"]?.arrayValue?.first { $0["rel"] == .string(rel) }?["href"]?.stringValue
        return href.flatMap { URLComponents(string: $0) }.map { $0.path + "?" + ($0.percentEncodedQuery ?? "") }
    }

    @Test("limit/marker pages forward with next links and back with previous links")
    func paging() async throws {
        try await APIHarness().run { api in
            _ = try await seed(api)
            let first = try await api.get("/v2/lbaas/loadbalancers?limit=2&sort=name:asc")
            #expect(names(first) == ["lb0", "lb1"])
            #expect(link(first, "previous") == nil)
            let nextPath = try #require(link(first, "next"))
            let second = try await api.get(nextPath)
            #expect(names(second) == ["lb2", "lb3"])
            let third = try await api.get(try #require(link(second, "next")))
            #expect(names(third) == ["lb4"])
            #expect(link(third, "next") == nil)
            let back = try await api.get(try #require(link(third, "previous")))
            #expect(names(back) == ["lb2", "lb3"])
            #expect(link(back, "next") != nil)
            let unknown = try await api.get("/v2/lbaas/loadbalancers?marker=nope")
            #expect(unknown.status == .badRequest)
            let capped = try await api.get("/v2/lbaas/loadbalancers?limit=5000")
            #expect(names(capped).count == 5)
        }
    }

    @Test("sort by sort= and sort_key/sort_dir; invalid key or direction is 400")
    func sorting() async throws {
        try await APIHarness().run { api in
            _ = try await seed(api)
            #expect(
                names(try await api.get("/v2/lbaas/loadbalancers?sort=name:desc")) == [
                    "lb4", "lb3", "lb2", "lb1", "lb0",
                ])
            #expect(
                names(try await api.get("/v2/lbaas/loadbalancers?sort_key=name&sort_dir=desc&limit=2")) == [
                    "lb4", "lb3",
                ])
            #expect(try await api.get("/v2/lbaas/loadbalancers?sort=colour:asc").status == .badRequest)
            #expect(try await api.get("/v2/lbaas/loadbalancers?sort=name:sideways").status == .badRequest)
        }
    }

    @Test("filters by attribute and tags; unknown filter is 400; fields= selects")
    func filtering() async throws {
        try await APIHarness().run { api in
            let ids = try await seed(api)
            #expect(names(try await api.get("/v2/lbaas/loadbalancers?name=lb2")) == ["lb2"])
            #expect(names(try await api.get("/v2/lbaas/loadbalancers?id=\(ids[3])")) == ["lb3"])
            #expect(names(try await api.get("/v2/lbaas/loadbalancers?admin_state_up=false")) == ["lb4"])
            #expect(names(try await api.get("/v2/lbaas/loadbalancers?tags=odd&sort=name:asc")) == ["lb1", "lb3"])
            #expect(
                names(try await api.get("/v2/lbaas/loadbalancers?not-tags=odd&sort=name:asc")) == ["lb0", "lb2", "lb4"])
            #expect(
                names(try await api.get("/v2/lbaas/loadbalancers?tags-any=odd,none&sort=name:asc")) == ["lb1", "lb3"])
            #expect(names(try await api.get("/v2/lbaas/loadbalancers?not-tags-any=odd,all")).isEmpty)
            #expect(names(try await api.get("/v2/lbaas/loadbalancers?tags=odd,all&sort=name:asc")) == ["lb1", "lb3"])
            let unknown = try await api.get("/v2/lbaas/loadbalancers?colour=red")
            #expect(unknown.status == .badRequest)
            #expect(unknown.fault?.contains("colour") == true)
            let fields = try await api.get("/v2/lbaas/loadbalancers?fields=id&fields=name&limit=1")
            let keys = fields["loadbalancers"]?.arrayValue?.first?.objectValue.map { Set($0.keys) }
            #expect(keys == ["id", "name"])
            let one = try await api.get("/v2/lbaas/loadbalancers/\(ids[0])?fields=name,vip_address")
            #expect(one["loadbalancer"]?.objectValue.map { Set($0.keys) } == ["name", "vip_address"])
        }
    }
}

@Suite("Relation filters")
struct RelationFilterTests {
    @Test("listeners and pools filter by loadbalancer_id, monitors by pool_id, as the openstack client sends")
    func relationFilters() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let t = try await harness.activeTree(api)
            let other = try await api.createLoadBalancer(name: "other")
            let listeners = try await api.get("/v2/lbaas/listeners?loadbalancer_id=\(t.lb)")
            #expect(listeners["listeners"]?.arrayValue?.map { $0["id"] } == [.string(t.listener)])
            #expect(try await api.get("/v2/lbaas/listeners?loadbalancer_id=\(other)")["listeners"] == .array([]))
            let pools = try await api.get("/v2/lbaas/pools?listener_id=\(t.listener)")
            #expect(pools["pools"]?.arrayValue?.map { $0["id"] } == [.string(t.pool)])
            let monitors = try await api.get("/v2/lbaas/healthmonitors?pool_id=\(t.pool)")
            #expect(monitors["healthmonitors"]?.arrayValue?.map { $0["id"] } == [.string(t.monitor)])
        }
    }
}
