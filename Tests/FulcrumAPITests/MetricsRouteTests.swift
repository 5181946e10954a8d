import FulcrumAPI
import FulcrumAPITypes
import FulcrumTestSupport
import HTTPTypes
import Prometheus
import Testing

/// `fulcrum-api`'s request metrics, rendered the way its metrics endpoint renders them.
@Suite("API request metrics")
struct MetricsRouteTests {
    @Test("requests are counted by route template, method and status, with latency; ids never become labels")
    func requestsCounted() async throws {
        let registry = PrometheusCollectorRegistry()
        let harness = try await APIHarness(metrics: APIMetrics(factory: PrometheusMetricsFactory(registry: registry)))
        defer { harness.fixture.directory.remove() }
        try await harness.run { api in
            let lb = try await api.createLoadBalancer()
            for _ in 0..<2 { #expect(try await api.get("/v2/lbaas/loadbalancers").status == .ok) }
            #expect(try await api.get("/v2/lbaas/loadbalancers/\(lb)").status == .ok)
            #expect(try await api.get("/v2.0/lbaas/loadbalancers/no-such-lb").status == .notFound)
            #expect(try await api.get("/v2/lbaas/loadbalancers", token: nil).status == .unauthorized)
            #expect(try await api.get("/v2/no/such/route").status == .notFound)
        }
        let text = String(decoding: registry.emitToBuffer(), as: UTF8.self)
        let metrics = try PrometheusText(parsing: text)
        func requests(_ route: String, _ method: String, _ status: String) -> Double? {
            metrics.value("fulcrum_api_requests_total", ["route": route, "method": method, "status": status])
        }
        #expect(requests("/v2/lbaas/loadbalancers", "POST", "201") == 1, "\(text)")
        #expect(requests("/v2/lbaas/loadbalancers", "GET", "200") == 2)
        #expect(requests("/v2/lbaas/loadbalancers", "GET", "401") == 1)
        #expect(requests("/v2/lbaas/loadbalancers/{id}", "GET", "200") == 1)
        #expect(requests("/v2.0/lbaas/loadbalancers/{id}", "GET", "404") == 1)
        #expect(requests("NotFound", "GET", "404") == 1)
        #expect(metrics.sum("fulcrum_api_requests_total") == 7)
        #expect(
            metrics.value(
                "fulcrum_api_request_duration_seconds_count", ["route": "/v2/lbaas/loadbalancers", "method": "GET"])
                == 3)
        #expect(metrics.value("fulcrum_api_requests_in_flight") == 0)
        let routes = Set(metrics.family("fulcrum_api_requests_total")?.samples.compactMap { $0.labels["route"] } ?? [])
        #expect(!routes.contains { $0.contains("no-such-lb") || $0.contains("/no/such") })
    }
}

@Suite("PROMETHEUS listeners")
struct PrometheusListenerRouteTests {
    @Test("a PROMETHEUS listener is accepted without a pool and refused with one, as in Octavia")
    func prometheusListener() async throws {
        let harness = try await APIHarness()
        defer { harness.fixture.directory.remove() }
        try await harness.run { api in
            let tree = try await harness.activeTree(api)
            let created = try await api.post(
                "/v2/lbaas/listeners",
                #"{"listener": {"loadbalancer_id": "\#(tree.lb)", "protocol": "PROMETHEUS", "protocol_port": 9100}}"#)
            #expect(created.status == .created, "\(created.text)")
            #expect(created["listener"]?["protocol"]?.stringValue == "PROMETHEUS")
            try await harness.fixture.completeAll()
            let pooled = try await api.post(
                "/v2/lbaas/listeners",
                #"{"listener": {"loadbalancer_id": "\#(tree.lb)", "protocol": "PROMETHEUS", "protocol_port": 9101, "default_pool_id": "\#(tree.pool)"}}"#
            )
            #expect(pooled.status == .badRequest, "\(pooled.text)")
        }
    }
}
