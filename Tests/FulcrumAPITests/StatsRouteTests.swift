import Foundation
import FulcrumAPITypes
import FulcrumModel
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import HTTPTypes
import Testing

@Suite("Statistics routes")
struct StatsRouteTests {
    @Test("LB, listener and amphora stats serve what the health manager recorded")
    func stats() async throws {
        let harness = try await APIHarness()
        defer { harness.fixture.directory.remove() }
        try await harness.run { api in
            let tree = try await harness.activeTree(api)
            let store = harness.fixture.store
            try await store.insertAmphora(
                Amphora(id: "amp-9", loadBalancerID: tree.lb, role: .standalone, status: .allocated))
            let empty = try await api.get("/v2/octavia/amphorae/amp-9/stats", token: APIHarness.adminToken)
            #expect(empty.status == .notFound, "Octavia: no rows yet is a 404")
            try await store.apply([
                HeartbeatUpdate(
                    amphoraID: "amp-9", receivedAt: Date(), refreshHealth: true, changes: [],
                    statistics: [
                        StatisticsDelta(
                            listenerID: tree.listener, amphoraID: "amp-9", bytesIn: 1_200, bytesOut: 56_000,
                            activeConnections: 4,
                            totalConnections: 9, requestErrors: 1)
                    ])
            ])
            for path in ["/v2/lbaas/loadbalancers/\(tree.lb)/stats", "/v2.0/lbaas/listeners/\(tree.listener)/stats"] {
                let reply = try await api.get(path)
                #expect(reply.status == .ok)
                let stats = try #require(reply["stats"])
                #expect(stats["bytes_in"] == .int(1_200), "\(path)")
                #expect(stats["bytes_out"] == .int(56_000))
                #expect(stats["active_connections"] == .int(4))
                #expect(stats["total_connections"] == .int(9))
                #expect(stats["request_errors"] == .int(1))
            }
            let amphora = try await api.get("/v2/octavia/amphorae/amp-9/stats", token: APIHarness.adminToken)
            #expect(amphora.status == .ok)
            #expect(amphora["amphora_stats"]?.arrayValue?.first?["listener_id"]?.stringValue == tree.listener)
            #expect(
                try await api.get("/v2/lbaas/loadbalancers/\(tree.lb)/stats", token: APIHarness.memberB).status
                    == .notFound)
        }
    }
}
