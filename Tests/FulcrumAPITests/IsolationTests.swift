import FulcrumAPITypes
import FulcrumTestSupport
import HTTPTypes
import Testing

@Suite("Project isolation")
struct IsolationTests {
    @Test("another project's objects are 404 for every resource and verb, and nothing is enqueued")
    func crossProject() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let t = try await harness.activeTree(api)
            let before = try await harness.fixture.taskCount()
            let calls: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/v2/lbaas/loadbalancers/\(t.lb)", nil),
                (.put, "/v2/lbaas/loadbalancers/\(t.lb)", #"{"loadbalancer": {"name": "x"}}"#),
                (.delete, "/v2/lbaas/loadbalancers/\(t.lb)?cascade=true", nil),
                (.get, "/v2/lbaas/loadbalancers/\(t.lb)/status", nil),
                (.get, "/v2/lbaas/loadbalancers/\(t.lb)/stats", nil),
                (.put, "/v2/lbaas/loadbalancers/\(t.lb)/failover", nil),
                (.get, "/v2/lbaas/listeners/\(t.listener)", nil),
                (.put, "/v2/lbaas/listeners/\(t.listener)", #"{"listener": {"name": "x"}}"#),
                (.delete, "/v2/lbaas/listeners/\(t.listener)", nil),
                (.get, "/v2/lbaas/listeners/\(t.listener)/stats", nil),
                (
                    .post, "/v2/lbaas/listeners",
                    #"{"listener": {"loadbalancer_id": "\#(t.lb)", "protocol": "TCP", "protocol_port": 81}}"#
                ),
                (.get, "/v2/lbaas/pools/\(t.pool)", nil),
                (.put, "/v2/lbaas/pools/\(t.pool)", #"{"pool": {"name": "x"}}"#),
                (.delete, "/v2/lbaas/pools/\(t.pool)", nil),
                (
                    .post, "/v2/lbaas/pools",
                    #"{"pool": {"loadbalancer_id": "\#(t.lb)", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}}"#
                ),
                (.get, "/v2/lbaas/pools/\(t.pool)/members", nil),
                (.get, "/v2/lbaas/pools/\(t.pool)/members/\(t.member)", nil),
                (.put, "/v2/lbaas/pools/\(t.pool)/members/\(t.member)", #"{"member": {"weight": 2}}"#),
                (.delete, "/v2/lbaas/pools/\(t.pool)/members/\(t.member)", nil),
                (
                    .post, "/v2/lbaas/pools/\(t.pool)/members",
                    #"{"member": {"address": "198.51.100.3", "protocol_port": 1}}"#
                ),
                (.put, "/v2/lbaas/pools/\(t.pool)/members", #"{"members": []}"#),
                (.get, "/v2/lbaas/healthmonitors/\(t.monitor)", nil),
                (.put, "/v2/lbaas/healthmonitors/\(t.monitor)", #"{"healthmonitor": {"delay": 9}}"#),
                (.delete, "/v2/lbaas/healthmonitors/\(t.monitor)", nil),
                (.get, "/v2/lbaas/l7policies/\(t.policy)", nil),
                (.put, "/v2/lbaas/l7policies/\(t.policy)", #"{"l7policy": {"name": "x"}}"#),
                (.delete, "/v2/lbaas/l7policies/\(t.policy)", nil),
                (
                    .post, "/v2/lbaas/l7policies",
                    #"{"l7policy": {"listener_id": "\#(t.listener)", "action": "REJECT"}}"#
                ),
                (.get, "/v2/lbaas/l7policies/\(t.policy)/rules", nil),
                (.get, "/v2/lbaas/l7policies/\(t.policy)/rules/\(t.rule)", nil),
                (.put, "/v2/lbaas/l7policies/\(t.policy)/rules/\(t.rule)", #"{"rule": {"value": "/b"}}"#),
                (.delete, "/v2/lbaas/l7policies/\(t.policy)/rules/\(t.rule)", nil),
                (
                    .post, "/v2/lbaas/l7policies/\(t.policy)/rules",
                    #"{"rule": {"type": "PATH", "compare_type": "EQUAL_TO", "value": "/x"}}"#
                ),
            ]
            for (method, path, body) in calls {
                let reply = try await api.call(method, path, token: APIHarness.memberB, body: body)
                #expect(reply.status == .notFound, "\(method) \(path) → \(reply.status)")
                #expect(reply["faultcode"] == .string("Client"))
            }
            for path in [
                "/v2/lbaas/loadbalancers", "/v2/lbaas/listeners", "/v2/lbaas/pools", "/v2/lbaas/healthmonitors",
                "/v2/lbaas/l7policies",
            ] {
                let list = try await api.get(path, token: APIHarness.memberB)
                #expect(list.json?.objectValue?.values.contains(.array([])) == true, "\(path) lists nothing")
            }
            #expect(try await harness.fixture.taskCount() == before)
            #expect(try await api.get("/v2/lbaas/loadbalancers/\(t.lb)").status == .ok)
        }
    }

    @Test("a member under another pool's path is 404")
    func wrongParent() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let t = try await harness.activeTree(api)
            let otherPool = try await api.create(
                "/v2/lbaas/pools", root: "pool",
                #"{"pool": {"loadbalancer_id": "\#(t.lb)", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}}"#)
            try await harness.fixture.completeAll()
            #expect(try await api.get("/v2/lbaas/pools/\(otherPool)/members/\(t.member)").status == .notFound)
            #expect(try await api.get("/v2/lbaas/pools/\(t.pool)/members/\(t.member)").status == .ok)
        }
    }
}
