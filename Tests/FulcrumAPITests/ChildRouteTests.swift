import FulcrumAPITypes
import FulcrumTestSupport
import HTTPTypes
import Testing

@Suite("Child resource routes")
struct ChildRouteTests {
    @Test("PUT on every child is 200 with the object PENDING_UPDATE and the change applied; DELETE is 204")
    func updatesAndDeletes() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let t = try await harness.activeTree(api)
            let updates: [(String, String, String, String, JSONValue)] = [
                (
                    "/v2/lbaas/listeners/\(t.listener)", #"{"listener": {"connection_limit": 100}}"#, "listener",
                    "connection_limit", .int(100)
                ),
                (
                    "/v2/lbaas/pools/\(t.pool)", #"{"pool": {"lb_algorithm": "LEAST_CONNECTIONS"}}"#, "pool",
                    "lb_algorithm", .string("LEAST_CONNECTIONS")
                ),
                (
                    "/v2/lbaas/pools/\(t.pool)/members/\(t.member)", #"{"member": {"weight": 0}}"#, "member", "weight",
                    .int(0)
                ),
                (
                    "/v2/lbaas/healthmonitors/\(t.monitor)", #"{"healthmonitor": {"url_path": "/health"}}"#,
                    "healthmonitor", "url_path", .string("/health")
                ),
                (
                    "/v2/lbaas/l7policies/\(t.policy)",
                    #"{"l7policy": {"action": "REDIRECT_TO_URL", "redirect_url": "http://example.com/"}}"#, "l7policy",
                    "redirect_http_code", .int(302)
                ),
                (
                    "/v2/lbaas/l7policies/\(t.policy)/rules/\(t.rule)", #"{"rule": {"invert": true}}"#, "rule",
                    "invert", .bool(true)
                ),
            ]
            for (path, body, root, key, value) in updates {
                let reply = try await api.put(path, body)
                #expect(reply.status == .ok, "\(path) → \(reply.text)")
                #expect(reply[root]?["provisioning_status"] == .string("PENDING_UPDATE"), "\(path)")
                #expect(reply[root]?[key] == value, "\(path) \(key)")
                try await harness.fixture.completeAll()
                #expect(try await api.get(path)[root]?["provisioning_status"] == .string("ACTIVE"))
            }
            let pool = try await api.get("/v2/lbaas/pools/\(t.pool)")
            #expect(pool["pool"]?["healthmonitor_id"] == .string(t.monitor))
            #expect(pool["pool"]?["members"] == .array([.object(["id": .string(t.member)])]))
            #expect(pool["pool"]?["listeners"] == .array([.object(["id": .string(t.listener)])]))
            let listener = try await api.get("/v2/lbaas/listeners/\(t.listener)")
            #expect(listener["listener"]?["default_pool_id"] == .string(t.pool))
            #expect(listener["listener"]?["l7policies"] == .array([.object(["id": .string(t.policy)])]))
            let deletes = [
                "/v2/lbaas/l7policies/\(t.policy)/rules/\(t.rule)", "/v2/lbaas/l7policies/\(t.policy)",
                "/v2/lbaas/healthmonitors/\(t.monitor)", "/v2/lbaas/pools/\(t.pool)/members/\(t.member)",
                "/v2/lbaas/pools/\(t.pool)", "/v2/lbaas/listeners/\(t.listener)",
            ]
            for path in deletes {
                let reply = try await api.delete(path)
                #expect(reply.status == .noContent, "\(path) → \(reply.text)")
                try await harness.fixture.completeAll()
                #expect(try await api.get(path).status == .notFound, "\(path) after delete")
            }
            #expect(try await api.delete("/v2/lbaas/loadbalancers/\(t.lb)").status == .noContent)
        }
    }
}
