import FulcrumAPITypes
import FulcrumTestSupport
import HTTPTypes
import Testing

@Suite("Octavia's locking table through HTTP")
struct LockingTests {
    @Test("every child write is 409 while the load balancer is PENDING_UPDATE")
    func childWritesWhileLBPending() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let t = try await harness.activeTree(api)
            let lock = try await api.put("/v2/lbaas/loadbalancers/\(t.lb)", #"{"loadbalancer": {"name": "busy"}}"#)
            #expect(lock.status == .ok)
            let writes: [(HTTPRequest.Method, String, String?)] = [
                (
                    .post, "/v2/lbaas/listeners",
                    #"{"listener": {"loadbalancer_id": "\#(t.lb)", "protocol": "TCP", "protocol_port": 81}}"#
                ),
                (.put, "/v2/lbaas/listeners/\(t.listener)", #"{"listener": {"name": "x"}}"#),
                (.delete, "/v2/lbaas/listeners/\(t.listener)", nil),
                (
                    .post, "/v2/lbaas/pools",
                    #"{"pool": {"loadbalancer_id": "\#(t.lb)", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}}"#
                ),
                (.put, "/v2/lbaas/pools/\(t.pool)", #"{"pool": {"name": "x"}}"#),
                (.delete, "/v2/lbaas/pools/\(t.pool)", nil),
                (
                    .post, "/v2/lbaas/pools/\(t.pool)/members",
                    #"{"member": {"address": "198.51.100.3", "protocol_port": 1}}"#
                ),
                (.put, "/v2/lbaas/pools/\(t.pool)/members/\(t.member)", #"{"member": {"weight": 3}}"#),
                (.delete, "/v2/lbaas/pools/\(t.pool)/members/\(t.member)", nil),
                (.put, "/v2/lbaas/healthmonitors/\(t.monitor)", #"{"healthmonitor": {"delay": 9}}"#),
                (.delete, "/v2/lbaas/healthmonitors/\(t.monitor)", nil),
                (
                    .post, "/v2/lbaas/l7policies",
                    #"{"l7policy": {"listener_id": "\#(t.listener)", "action": "REJECT"}}"#
                ),
                (.put, "/v2/lbaas/l7policies/\(t.policy)", #"{"l7policy": {"name": "x"}}"#),
                (.delete, "/v2/lbaas/l7policies/\(t.policy)", nil),
                (
                    .post, "/v2/lbaas/l7policies/\(t.policy)/rules",
                    #"{"rule": {"type": "PATH", "compare_type": "EQUAL_TO", "value": "/x"}}"#
                ),
                (.put, "/v2/lbaas/l7policies/\(t.policy)/rules/\(t.rule)", #"{"rule": {"value": "/b"}}"#),
                (.delete, "/v2/lbaas/l7policies/\(t.policy)/rules/\(t.rule)", nil),
                (.put, "/v2/lbaas/loadbalancers/\(t.lb)", #"{"loadbalancer": {"name": "again"}}"#),
                (.delete, "/v2/lbaas/loadbalancers/\(t.lb)?cascade=true", nil),
                (.put, "/v2/lbaas/loadbalancers/\(t.lb)/failover", nil),
            ]
            let tasks = try await harness.fixture.taskCount()
            for (method, path, body) in writes {
                let reply = try await api.call(method, path, body: body)
                #expect(reply.status == .conflict, "\(method) \(path) → \(reply.status) \(reply.text)")
                #expect(reply["faultcode"] == .string("Client"))
            }
            #expect(try await harness.fixture.taskCount() == tasks)
        }
    }

    @Test("a member or monitor write is 409 while its pool is pending, even with the LB locked by it")
    func poolPending() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let t = try await harness.activeTree(api)
            let first = try await api.post(
                "/v2/lbaas/pools/\(t.pool)/members", #"{"member": {"address": "198.51.100.40", "protocol_port": 80}}"#)
            #expect(first.status == .created)
            #expect(first["member"]?["provisioning_status"] == .string("PENDING_CREATE"))
            #expect(first["member"]?["operating_status"] == .string("OFFLINE"))
            let pool = try await api.get("/v2/lbaas/pools/\(t.pool)")
            #expect(pool["pool"]?["provisioning_status"] == .string("PENDING_UPDATE"))
            let second = try await api.post(
                "/v2/lbaas/pools/\(t.pool)/members", #"{"member": {"address": "198.51.100.41", "protocol_port": 80}}"#)
            #expect(second.status == .conflict)
            try await harness.fixture.completeAll()
            let third = try await api.post(
                "/v2/lbaas/pools/\(t.pool)/members", #"{"member": {"address": "198.51.100.41", "protocol_port": 80}}"#)
            #expect(third.status == .created)
        }
    }

    @Test("uniqueness conflicts are 409: listener port, member address+port, second monitor, second default pool")
    func conflicts() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let t = try await harness.activeTree(api)
            let port = try await api.post(
                "/v2/lbaas/listeners",
                #"{"listener": {"loadbalancer_id": "\#(t.lb)", "protocol": "TCP", "protocol_port": 80}}"#)
            #expect(port.status == .conflict)
            #expect(port.fault?.contains("protocol_port 80") == true)
            let member = try await api.post(
                "/v2/lbaas/pools/\(t.pool)/members", #"{"member": {"address": "198.51.100.16", "protocol_port": 80}}"#)
            #expect(member.status == .conflict)
            let monitor = try await api.post(
                "/v2/lbaas/healthmonitors",
                #"{"healthmonitor": {"pool_id": "\#(t.pool)", "type": "TCP", "delay": 5, "timeout": 3, "max_retries": 2}}"#
            )
            #expect(monitor.status == .conflict)
            let pool = try await api.post(
                "/v2/lbaas/pools",
                #"{"pool": {"listener_id": "\#(t.listener)", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}"#)
            #expect(pool.status == .conflict)
        }
    }

    @Test("batch member update is 202 and replaces the pool's members")
    func batchMembers() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let t = try await harness.activeTree(api)
            let reply = try await api.put(
                "/v2/lbaas/pools/\(t.pool)/members",
                #"{"members": [{"address": "198.51.100.50", "protocol_port": 80}, {"address": "198.51.100.51", "protocol_port": 80}]}"#
            )
            #expect(reply.status == .accepted)
            #expect(reply.text.isEmpty)
            try await harness.fixture.completeAll()
            let members = try await api.get("/v2/lbaas/pools/\(t.pool)/members?sort=address:asc")
            let addresses = members["members"]?.arrayValue?.compactMap { $0["address"]?.stringValue }
            #expect(addresses == ["198.51.100.50", "198.51.100.51"])
            let bad = try await api.put(
                "/v2/lbaas/pools/\(t.pool)/members", #"{"members": [{"address": "x", "color": 1}]}"#)
            #expect(bad.status == .badRequest)
        }
    }
}
