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

@Suite("fulcrum floatingip-* verbs against a live server on 127.0.0.1")
struct FloatingIPCLITests {
    @Test("associate by load-balancer name, list (all and --loadbalancer), shown on the LB, disassociate")
    func verbs() async throws {
        let harness = try await APIHarness()
        try await harness.live { url in
            let env = ["FULCRUM_URL": url, "FULCRUM_TOKEN": APIHarness.memberA]
            let api = FulcrumClient(baseURL: url, token: APIHarness.memberA)
            let lb = try await api.createLoadBalancer(name: "test-lb", subnet: "private-subnet")
            _ = try await api.createLoadBalancer(name: "other-lb", subnet: "private-subnet")
            try await harness.fixture.completeAll()

            let table = try await FloatingIPAssociate.parse(["test-lb", "--port", "8080"]).output(environment: env)
            #expect(table.contains(/\| floating_ip_address +\| 127\.0\.0\.1/))
            #expect(table.contains(/\| protocol_port +\| 80\s/))
            let json = try await FloatingIPAssociate.parse([
                "other-lb", "--port", "8081", "--address", "127.0.0.2", "--protocol-port", "443", "-f", "json",
            ]).output(environment: env)
            let other = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
            #expect(other["floating_ip_address"] == .string("127.0.0.2"))
            #expect(other["protocol_port"] == .int(443))

            let all = try await FloatingIPList.parse([]).output(environment: env)
            #expect(all.contains("8080") && all.contains("8081"))
            let mine = try await FloatingIPList.parse(["--loadbalancer", "test-lb", "-f", "json"]).output(
                environment: env)
            let listed = try JSONDecoder().decode(JSONValue.self, from: Data(mine.utf8)).arrayValue ?? []
            #expect(listed.map { $0["floating_port"] } == [.int(8080)])
            let id = try #require(listed.first?["id"]?.stringValue)
            let shown = try await api.loadBalancer(lb.id)
            #expect(shown.floatingIPs?.map(\.id) == [id])

            #expect(try await FloatingIPDisassociate.parse([id]).output(environment: env).isEmpty)
            #expect(try await api.floatingIPs(loadBalancer: lb.id).isEmpty)
            let gone = try await #require(throws: FulcrumClientError.self) {
                try await FloatingIPDisassociate.parse([id]).output(environment: env)
            }
            #expect(gone.status == 404)
            let refused = try await #require(throws: FulcrumClientError.self) {
                try await FloatingIPAssociate.parse(["test-lb", "--port", "8081", "--address", "127.0.0.2"])
                    .output(environment: env)
            }
            #expect(refused.status == 409)
        }
    }

    @Test("the verbs' command lines are checked before any request")
    func parsing() throws {
        #expect(throws: (any Error).self) { try FloatingIPAssociate.parse(["test-lb"]) }
        #expect(throws: (any Error).self) { try FloatingIPAssociate.parse(["test-lb", "--port", "0"]) }
        #expect(throws: (any Error).self) {
            try FloatingIPAssociate.parse(["test-lb", "--port", "8080", "--protocol-port", "70000"])
        }
        #expect(throws: (any Error).self) { try FloatingIPDisassociate.parse([]) }
        let list = try FloatingIPList.parse(["--loadbalancer", "lb"])
        #expect(list.loadbalancer == "lb")
        let command = try FulcrumCommand.parseAsRoot(["floatingip-associate", "test-lb", "--port", "8080"])
        #expect(command is FloatingIPAssociate)
    }
}
