import Foundation
import FulcrumAPI
import FulcrumAPITypes
import FulcrumModel
import FulcrumTestSupport
import HTTPTypes
import Testing

@Suite("Floating IP routes (/v2/fulcrum/floatingips)")
struct FloatingIPRouteTests {
    static func body(_ lb: String, port: String = "8080", _ extra: String = "") -> String {
        #"{"floatingip": {"loadbalancer_id": "\#(lb)", "floating_port": \#(port)\#(extra)}}"#
    }

    @Test("associate (201, defaults 127.0.0.1 and 80), show, list by loadbalancer_id, on the LB, disassociate (204)")
    func lifecycle() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let lb = try await api.createLoadBalancer(name: "web")
            let other = try await api.createLoadBalancer(name: "other")
            try await harness.fixture.completeAll()
            let created = try await api.post("/v2/fulcrum/floatingips", Self.body(lb))
            #expect(created.status == .created)
            let floating = try #require(created["floatingip"])
            #expect(floating["floating_ip_address"] == .string("127.0.0.1"))
            #expect(floating["floating_port"] == .int(8080))
            #expect(floating["protocol_port"] == .int(80))
            #expect(floating["loadbalancer_id"] == .string(lb))
            #expect(floating["project_id"] == .string("project-a"))
            let id = try #require(floating["id"]?.stringValue)
            _ = try await api.post(
                "/v2.0/fulcrum/floatingips",
                #"{"floatingip": {"loadbalancer_id": "\#(other)", "floating_ip_address": "127.0.0.2", "floating_port": 8080, "protocol_port": 443}}"#
            )

            let shown = try await api.get("/v2/fulcrum/floatingips/\(id)")
            #expect(shown.status == .ok && shown["floatingip"]?["id"] == .string(id))
            let all = try await api.get("/v2/fulcrum/floatingips")
            #expect(all["floatingips"]?.arrayValue?.count == 2)
            let filtered = try await api.get("/v2/fulcrum/floatingips?loadbalancer_id=\(lb)")
            #expect(filtered["floatingips"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id])

            let onLB = try await api.get("/v2/lbaas/loadbalancers/\(lb)")
            let entries = try #require(onLB["loadbalancer"]?["fulcrum:floating_ips"]?.arrayValue)
            #expect(entries.count == 1)
            #expect(entries.first?["id"] == .string(id))
            #expect(entries.first?["floating_port"] == .int(8080))
            let listed = try await api.get("/v2/lbaas/loadbalancers?name=other")
            let otherEntries = listed["loadbalancers"]?.arrayValue?.first?["fulcrum:floating_ips"]?.arrayValue
            #expect(otherEntries?.first?["protocol_port"] == .int(443))

            #expect(try await api.delete("/v2/fulcrum/floatingips/\(id)").status == .noContent)
            #expect(try await api.get("/v2/fulcrum/floatingips/\(id)").status == .notFound)
            #expect(try await api.delete("/v2/fulcrum/floatingips/\(id)").status == .notFound)
            let after = try await api.get("/v2/lbaas/loadbalancers/\(lb)")
            #expect(after["loadbalancer"]?["fulcrum:floating_ips"] == .array([]))
        }
    }

    static let badBodies: [(String, String)] = [
        (#"{"floatingip": {"floating_port": 8080}}"#, "loadbalancer_id"),
        (#"{"floatingip": {"loadbalancer_id": "LB"}}"#, "floating_port"),
        (body("LB", port: "0"), "floating_port"),
        (body("LB", port: "65536"), "floating_port"),
        (body("LB", #", "protocol_port": 0"#), "protocol_port"),
        (body("LB", #", "floating_ip_address": "localhost""#), "floating_ip_address"),
        (body("LB", #", "floating_ip_address": "10.0.0.1""#), "floating_ip_address"),
        (body("LB", #", "floating_ip_address": "127.0.0.1/8""#), "floating_ip_address"),
        (body("LB", port: #""http""#), "floating_port"),
        (body("LB", #", "vip_address": "198.51.100.10""#), "vip_address"),
        (#"{"floatingip": []}"#, "floatingip"),
        (#"{"loadbalancer": {}}"#, "floatingip"),
    ]

    @Test("invalid bodies are 400 with Octavia's fault body naming the attribute")
    func validation() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let lb = try await api.createLoadBalancer()
            try await harness.fixture.completeAll()
            for (body, attribute) in Self.badBodies {
                let reply = try await api.post("/v2/fulcrum/floatingips", body.replacingOccurrences(of: "LB", with: lb))
                #expect(reply.status == .badRequest, "\(body)")
                #expect(reply["faultcode"] == .string("Client"))
                #expect(reply.fault?.contains(attribute) == true, "\(reply.text)")
            }
            #expect(try await api.get("/v2/fulcrum/floatingips")["floatingips"] == .array([]))
        }
    }

    @Test("another project's load balancer or floating IP is 404; a taken address:port is 409; observers get 403")
    func isolationAndConflicts() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let mine = try await api.createLoadBalancer()
            let theirs = try await api.createLoadBalancer(token: APIHarness.memberB)
            try await harness.fixture.completeAll()
            let hidden = try await api.post("/v2/fulcrum/floatingips", Self.body(theirs))
            #expect(hidden.status == .notFound)
            #expect(hidden.fault == "Load Balancer \(theirs) not found.")
            #expect(try await api.post("/v2/fulcrum/floatingips", Self.body("no-such-lb")).status == .notFound)

            let id = try await api.create("/v2/fulcrum/floatingips", root: "floatingip", Self.body(mine))
            #expect(try await api.get("/v2/fulcrum/floatingips/\(id)", token: APIHarness.memberB).status == .notFound)
            let foreignDelete = try await api.delete("/v2/fulcrum/floatingips/\(id)", token: APIHarness.memberB)
            #expect(foreignDelete.status == .notFound)
            #expect(
                try await api.get("/v2/fulcrum/floatingips", token: APIHarness.memberB)["floatingips"] == .array([]))
            let admin = try await api.get("/v2/fulcrum/floatingips", token: APIHarness.adminToken)
            #expect(admin["floatingips"]?.arrayValue?.count == 1)

            let taken = try await api.post("/v2/fulcrum/floatingips", Self.body(theirs), token: APIHarness.memberB)
            #expect(taken.status == .conflict)
            #expect(taken.fault == "Floating IP 127.0.0.1:8080 is already in use.")
            let observer = try await api.post(
                "/v2/fulcrum/floatingips", Self.body(mine, port: "9090"), token: APIHarness.observerA)
            #expect(observer.status == .forbidden)
        }
    }

    @Test("a load balancer being deleted is 409; its floating IPs are gone once the delete completes")
    func loadBalancerDelete() async throws {
        let harness = try await APIHarness()
        try await harness.run { api in
            let lb = try await api.createLoadBalancer()
            try await harness.fixture.completeAll()
            let id = try await api.create("/v2/fulcrum/floatingips", root: "floatingip", Self.body(lb))
            #expect(try await api.delete("/v2/lbaas/loadbalancers/\(lb)").status == .noContent)
            let pending = try await api.post("/v2/fulcrum/floatingips", Self.body(lb, port: "9090"))
            #expect(pending.status == .conflict)
            #expect(try await api.get("/v2/fulcrum/floatingips/\(id)").status == .ok)
            try await harness.fixture.completeAll()
            #expect(try await api.get("/v2/fulcrum/floatingips/\(id)").status == .notFound)
        }
    }

    @Test("floating_ips.allowed_cidrs admits other networks; Fulcrum's own endpoints are 409")
    func configuration() async throws {
        let harness = try await APIHarness(
            floatingIPs: FloatingIPConfiguration(
                allowedNetworks: [IPv4Network("127.0.0.0/8")!, IPv4Network("203.0.113.0/24")!],
                reservedEndpoints: [.init(address: IPv4Address("127.0.0.1")!, port: 9876)]))
        try await harness.run { api in
            let lb = try await api.createLoadBalancer()
            try await harness.fixture.completeAll()
            let other = try await api.post(
                "/v2/fulcrum/floatingips", Self.body(lb, #", "floating_ip_address": "203.0.113.7""#))
            #expect(other.status == .created)
            let outside = try await api.post(
                "/v2/fulcrum/floatingips", Self.body(lb, #", "floating_ip_address": "198.51.100.7""#))
            #expect(outside.status == .badRequest)
            #expect(outside.fault?.contains("127.0.0.0/8, 203.0.113.0/24") == true)
            let wildcard = try await api.post(
                "/v2/fulcrum/floatingips", Self.body(lb, #", "floating_ip_address": "0.0.0.0""#))
            #expect(wildcard.status == .badRequest)
            let reserved = try await api.post(
                "/v2/fulcrum/floatingips", Self.body(lb, port: "9876"))
            #expect(reserved.status == .conflict)
            #expect(reserved.fault == "Floating IP 127.0.0.1:9876 is reserved by Fulcrum itself.")
        }
    }
}
