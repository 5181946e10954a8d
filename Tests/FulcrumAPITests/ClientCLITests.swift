import ArgumentParser
import Foundation
import FulcrumAPI
import FulcrumAPITypes
import FulcrumClient
import FulcrumRuntime
import FulcrumTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("FulcrumClient and the fulcrum CLI verbs against a live server on 127.0.0.1")
struct ClientCLITests {
    @Test("create → show → list → stats → status → failover → delete through the typed client and the verbs")
    func lifecycle() async throws {
        let harness = try await APIHarness()
        let app = Application(
            router: harness.server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { live in
            let port = try #require(live.port)
            let url = "http://127.0.0.1:\(port)"
            let env = ["FULCRUM_URL": url, "FULCRUM_TOKEN": APIHarness.memberA]
            let api = FulcrumClient(baseURL: url, token: APIHarness.memberA)
            let created = try await api.createLoadBalancer(name: "cli-lb", subnet: "private-subnet")
            #expect(created.provisioningStatus == "PENDING_CREATE")
            #expect(created.vipAddress == "198.51.100.10")
            try await harness.fixture.completeAll()

            let table = try await LoadBalancerShow.parse([created.id]).output(environment: env)
            #expect(table.contains("| Field "))
            #expect(table.contains(/\| provisioning_status +\| ACTIVE/))
            let json = try await LoadBalancerShow.parse([created.id, "-f", "json"]).output(environment: env)
            let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
            #expect(decoded["name"] == .string("cli-lb"))

            let made = try await LoadBalancerCreate.parse(["--name", "second", "private-subnet", "-f", "json"])
                .output(environment: env)
            let second = try #require(
                try JSONDecoder().decode(JSONValue.self, from: Data(made.utf8))["id"]?.stringValue)
            try await harness.fixture.completeAll()
            let list = try await LoadBalancerList.parse([]).output(environment: env)
            #expect(list.contains("cli-lb") && list.contains("second"))

            let listener = try await ListenerCreate.parse(["--protocol", "HTTP", "--port", "80", second, "-f", "json"])
                .output(environment: env)
            let listenerID = try #require(
                try JSONDecoder().decode(JSONValue.self, from: Data(listener.utf8))["id"]?.stringValue)
            try await harness.fixture.completeAll()
            let pool = try await PoolCreate.parse(["--protocol", "HTTP", "--listener", listenerID, "-f", "json"])
                .output(environment: env)
            let poolID = try #require(
                try JSONDecoder().decode(JSONValue.self, from: Data(pool.utf8))["id"]?.stringValue)
            try await harness.fixture.completeAll()
            _ = try await MemberCreate.parse(["--address", "198.51.100.30", "--port", "8080", poolID]).output(
                environment: env)
            try await harness.fixture.completeAll()
            _ = try await HealthMonitorCreate.parse([
                "--type", "HTTP", "--delay", "5", "--timeout", "3", "--max-retries", "2", poolID,
            ]).output(environment: env)
            try await harness.fixture.completeAll()
            let status = try await LoadBalancerStatus.parse([second]).output(environment: env)
            #expect(status.contains("198.51.100.30"))
            let stats = try await LoadBalancerStats.parse([second]).output(environment: env)
            #expect(stats.contains("| bytes_in"))
            #expect(try await LoadBalancerFailover.parse([second]).output(environment: env).isEmpty)
            try await harness.fixture.completeAll()

            let denied = try await #require(throws: FulcrumClientError.self) {
                try await QuotaUpdate.parse(["--pool", "3", "project-a"]).output(environment: env)
            }
            #expect(denied.status == 403)
            let admin = ["FULCRUM_URL": url, "FULCRUM_TOKEN": APIHarness.adminToken]
            let quota = try await QuotaUpdate.parse(["--pool", "3", "project-a", "-f", "json"]).output(
                environment: admin)
            #expect(quota.contains(#""pool":3"#))
            #expect(try await QuotaShow.parse(["project-a"]).output(environment: env).contains("| pool"))

            let refused = try await #require(throws: FulcrumClientError.self) {
                try await api.deleteLoadBalancer(second, cascade: false)
            }
            #expect(refused.status == 400)
            _ = try await LoadBalancerDelete.parse(["--cascade", second]).output(environment: env)
            try await harness.fixture.completeAll()
            let gone = try await #require(throws: FulcrumClientError.self) { try await api.loadBalancer(second) }
            #expect(gone.status == 404)
            #expect(gone.message == "Load Balancer \(second) not found.")
        }
    }
}
