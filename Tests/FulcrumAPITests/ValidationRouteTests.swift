import FulcrumAPITypes
import FulcrumTestSupport
import HTTPTypes
import Testing

@Suite("Validation through HTTP")
struct ValidationRouteTests {
    @Test("one bad value per validation family is a 400 fault naming the problem; nothing is enqueued")
    func badValues() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let t = try await harness.activeTree(api)
            let tcpPool = try await api.create(
                "/v2/lbaas/pools", root: "pool",
                #"{"pool": {"loadbalancer_id": "\#(t.lb)", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN"}}"#)
            try await harness.fixture.completeAll()
            let tasks = try await harness.fixture.taskCount()
            let cases: [(String, String, String)] = [
                (
                    "/v2/lbaas/listeners",
                    #"{"listener": {"loadbalancer_id": "\#(t.lb)", "protocol": "TCP", "protocol_port": 70000}}"#,
                    "protocol_port"
                ),
                (
                    "/v2/lbaas/listeners",
                    #"{"listener": {"loadbalancer_id": "\#(t.lb)", "protocol": "TCP", "protocol_port": 90, "timeout_client_data": -1}}"#,
                    "timeout_client_data"
                ),
                (
                    "/v2/lbaas/listeners",
                    #"{"listener": {"loadbalancer_id": "\#(t.lb)", "protocol": "TCP", "protocol_port": 91, "insert_headers": {"X-Forwarded-For": "true"}}}"#,
                    "insert_headers"
                ),
                (
                    "/v2/lbaas/listeners",
                    #"{"listener": {"loadbalancer_id": "\#(t.lb)", "protocol": "HTTPS-ish", "protocol_port": 92}}"#,
                    "protocol"
                ),
                (
                    "/v2/lbaas/pools",
                    #"{"pool": {"loadbalancer_id": "\#(t.lb)", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "session_persistence": {"type": "APP_COOKIE"}}}"#,
                    "cookie_name"
                ),
                (
                    "/v2/lbaas/pools",
                    #"{"pool": {"loadbalancer_id": "\#(t.lb)", "protocol": "HTTP"}}"#,
                    "lb_algorithm"
                ),
                (
                    "/v2/lbaas/pools/\(t.pool)/members",
                    #"{"member": {"address": "198.51.100.5", "protocol_port": 80, "weight": 300}}"#, "weight"
                ),
                (
                    "/v2/lbaas/pools/\(t.pool)/members",
                    #"{"member": {"address": "169.254.169.254", "protocol_port": 80}}"#, "169.254.169.254"
                ),
                (
                    "/v2/lbaas/healthmonitors",
                    #"{"healthmonitor": {"pool_id": "\#(tcpPool)", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 11}}"#,
                    "max_retries"
                ),
                (
                    "/v2/lbaas/healthmonitors",
                    #"{"healthmonitor": {"pool_id": "\#(tcpPool)", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2, "expected_codes": "2xx"}}"#,
                    "expected_codes"
                ),
                (
                    "/v2/lbaas/healthmonitors",
                    #"{"healthmonitor": {"pool_id": "\#(tcpPool)", "type": "UDP-CONNECT", "delay": 5, "timeout": 3, "max_retries": 2}}"#,
                    "UDP-CONNECT"
                ),
                (
                    "/v2/lbaas/l7policies",
                    #"{"l7policy": {"listener_id": "\#(t.listener)", "action": "REDIRECT_TO_URL"}}"#, "redirect_url"
                ),
                (
                    "/v2/lbaas/l7policies",
                    #"{"l7policy": {"listener_id": "\#(t.listener)", "action": "REDIRECT_TO_POOL", "redirect_pool_id": "\#(tcpPool)"}}"#,
                    "redirect_pool_id"
                ),
                (
                    "/v2/lbaas/l7policies/\(t.policy)/rules",
                    #"{"rule": {"type": "HEADER", "compare_type": "EQUAL_TO", "value": "v"}}"#, "key"
                ),
            ]
            for (path, body, mention) in cases {
                let reply = try await api.post(path, body)
                #expect(reply.status == .badRequest, "\(body) → \(reply.status) \(reply.text)")
                #expect(reply["faultcode"] == .string("Client"))
                #expect(reply.fault?.contains(mention) == true, "\(body) → \(reply.text)")
            }
            let sourceIPPort = try await api.post(
                "/v2/lbaas/pools",
                #"{"pool": {"loadbalancer_id": "\#(t.lb)", "protocol": "TCP", "lb_algorithm": "SOURCE_IP_PORT"}}"#)
            #expect(sourceIPPort.status == .notImplemented)
            let nullDelay = try await api.put(
                "/v2/lbaas/healthmonitors/\(t.monitor)", #"{"healthmonitor": {"delay": null}}"#)
            #expect(nullDelay.status == .badRequest)
            let immutable = try await api.put(
                "/v2/lbaas/listeners/\(t.listener)", #"{"listener": {"protocol_port": 81}}"#)
            #expect(immutable.status == .badRequest)
            #expect(try await harness.fixture.taskCount() == tasks)
        }
    }

    @Test("PUT null resets a listener timeout to its default")
    func nullResets() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let t = try await harness.activeTree(api)
            let set = try await api.put(
                "/v2/lbaas/listeners/\(t.listener)", #"{"listener": {"timeout_client_data": 10}}"#)
            #expect(set["listener"]?["timeout_client_data"] == .int(10))
            try await harness.fixture.completeAll()
            let reset = try await api.put(
                "/v2/lbaas/listeners/\(t.listener)", #"{"listener": {"timeout_client_data": null}}"#)
            #expect(reset["listener"]?["timeout_client_data"] == .int(50_000))
            #expect(reset["listener"]?["allowed_cidrs"] == .null)
        }
    }
}
