import Foundation
import FulcrumAPITypes
import FulcrumTestSupport
import HTTPTypes
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("served without a token; every documented operation is routed under /v2 and /v2.0; codes are Octavia's")
    func inSyncWithRouter() async throws {
        try await APIHarness().run { api in
            let reply = try await api.get("/openapi.json", token: nil)
            #expect(reply.status == .ok)
            #expect(reply["openapi"] == .string("3.1.0"))
            let paths = try #require(reply["paths"]?.objectValue)
            var operations = 0
            for (template, methods) in paths {
                let concrete = template.replacingOccurrences(of: "{", with: "x-").replacingOccurrences(
                    of: "}", with: "")
                for method in (methods.objectValue ?? [:]).keys {
                    operations += 1
                    for prefix in ["/v2", "/v2.0"] {
                        let result = try await api.call(
                            HTTPRequest.Method(method.uppercased())!, prefix + concrete, token: APIHarness.adminToken,
                            body: method == "put" || method == "post" ? "{}" : nil)
                        let unrouted =
                            result.status == .methodNotAllowed
                            || result.fault == "The resource could not be found."
                        #expect(!unrouted, "\(method) \(prefix)\(template) is documented but not routed")
                    }
                }
            }
            #expect(operations >= 60)
            func codes(_ path: String, _ method: String) -> Set<String> {
                Set(paths[path]?[method]?["responses"]?.objectValue?.keys.map { $0 } ?? [])
            }
            #expect(codes("/lbaas/loadbalancers", "post").contains("201"))
            #expect(codes("/lbaas/loadbalancers/{id}", "delete").contains("204"))
            #expect(codes("/lbaas/loadbalancers/{id}/failover", "put").contains("202"))
            #expect(codes("/lbaas/pools/{id}/members", "put").contains("202"))
            #expect(codes("/lbaas/quotas/{project_id}", "put").contains("202"))
            #expect(codes("/lbaas/l7policies/{id}/rules/{rule_id}", "get").contains("200"))
            #expect(paths["/subnets"] != nil)
            #expect(codes("/fulcrum/floatingips", "post").contains("201"))
            #expect(codes("/fulcrum/floatingips/{id}", "delete").contains("204"))
            #expect(codes("/fulcrum/floatingips/{id}", "get").contains("200"))
        }
    }
}
