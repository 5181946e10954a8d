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
        try await harness.live { url in
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

    /// The `id` of a verb's `-f json` output.
    static func id(_ json: String) throws -> String {
        try #require(try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))["id"]?.stringValue)
    }

    @Test("show / list / update / delete verbs of listeners, pools, members and monitors, by name, with --set")
    func objectVerbs() async throws {
        let harness = try await APIHarness()
        try await harness.live { url in
            let env = ["FULCRUM_URL": url, "FULCRUM_TOKEN": APIHarness.memberA]
            func run<Verb: ClientVerb>(_ verb: Verb.Type, _ arguments: [String]) async throws -> String {
                let text = try await Verb.parse(arguments).output(environment: env)
                try await harness.fixture.completeAll()
                return text
            }
            _ = try await run(LoadBalancerCreate.self, ["--name", "lb", "private-subnet"])
            _ = try await run(
                ListenerCreate.self, ["--name", "web", "--loadbalancer", "lb", "--protocol", "HTTP", "--port", "80"])
            _ = try await run(
                PoolCreate.self,
                [
                    "--name", "web-pool", "--lb-algorithm", "ROUND_ROBIN", "--listener", "web", "--protocol",
                    "HTTP",
                ])
            let member = try Self.id(
                try await run(
                    MemberCreate.self,
                    ["--name", "web1", "--address", "198.51.100.16", "--protocol-port", "80", "web-pool", "-f", "json"])
            )
            _ = try await run(
                HealthMonitorCreate.self,
                [
                    "--name", "probe", "--delay", "5", "--max-retries", "2", "--timeout", "3", "--type", "HTTP",
                    "--pool",
                    "web-pool",
                ])

            #expect(try await run(ListenerShow.self, ["web"]).contains(/\| protocol_port +\| 80/))
            #expect(try await run(ListenerList.self, ["--loadbalancer", "lb"]).contains("web"))
            #expect(try await run(PoolList.self, []).contains("ROUND_ROBIN"))
            #expect(try await run(MemberShow.self, ["web1", "web-pool"]).contains(/\| name +\| web1/), "names stored")
            #expect(try await run(MemberList.self, ["web-pool"]).contains("198.51.100.16"))
            #expect(try await run(HealthMonitorShow.self, ["probe"]).contains(/\| name +\| probe/))
            #expect(try await run(HealthMonitorList.self, []).contains("probe"))

            _ = try await run(PoolUpdate.self, ["web-pool", "--lb-algorithm", "SOURCE_IP", "--description", "tier 1"])
            let pool = try await run(PoolShow.self, ["web-pool", "-f", "json"])
            #expect(pool.contains(#""lb_algorithm":"SOURCE_IP""#) && pool.contains(#""description":"tier 1""#))
            _ = try await run(MemberUpdate.self, ["web1", "web-pool", "--disable", "--weight", "5"])
            let shown = try await run(MemberShow.self, [member, "web-pool", "-f", "json"])
            #expect(shown.contains(#""admin_state_up":false"#) && shown.contains(#""weight":5"#))
            _ = try await run(
                ListenerUpdate.self, ["web", "--set", "connection_limit=100", "--set", "description=edge"])
            let listener = try await run(ListenerShow.self, ["web", "-f", "json"])
            #expect(listener.contains(#""connection_limit":100"#) && listener.contains(#""description":"edge""#))
            _ = try await run(HealthMonitorUpdate.self, ["probe", "--delay", "7", "--name", "probe2"])
            #expect(try await run(HealthMonitorShow.self, ["probe2", "-f", "json"]).contains(#""delay":7"#))
            _ = try await run(LoadBalancerUpdate.self, ["lb", "--name", "lb2"])
            #expect(try await run(LoadBalancerShow.self, ["lb2"]).contains(/\| name +\| lb2/))

            let nothing = try await #require(throws: ValidationError.self) {
                try await PoolUpdate.parse(["web-pool"]).output(environment: env)
            }
            #expect(nothing.message.contains("Nothing to update"))
            let bad = try await #require(throws: FulcrumClientError.self) {
                try await PoolUpdate.parse(["web-pool", "--lb-algorithm", "FASTEST"]).output(environment: env)
            }
            #expect(bad.status == 400)

            #expect(try await run(HealthMonitorDelete.self, ["probe2"]).isEmpty)
            #expect(try await run(MemberDelete.self, ["web1", "web-pool"]).isEmpty)
            #expect(!(try await run(MemberList.self, ["web-pool"]).contains("198.51.100.16")))
            #expect(try await run(PoolDelete.self, ["web-pool"]).isEmpty)
            #expect(try await run(ListenerDelete.self, ["web"]).isEmpty)
            #expect(!(try await run(ListenerList.self, []).contains("web")))
        }
    }
}
