import FulcrumModel
import Testing

@Suite("Load balancer and quota validation (reference §1.1, §1.9, §4)")
struct LoadBalancerQuotaValidationTests {
    static let lbCases: [EditCase<LoadBalancer>] = [
        .valid("defaults") { _ in },
        .invalid("name of 256", field: "name") { $0.name = Fixtures.long256 },
        .invalid("description of 256", field: "description") { $0.description = Fixtures.long256 },
        .invalid("tag of 256", field: "tags") { $0.tags = [Fixtures.long256] },
        .valid("provider of 64") { $0.provider = String(repeating: "p", count: 64) },
        .invalid("provider of 65", field: "provider") { $0.provider = String(repeating: "p", count: 65) },
        .valid("VIP address") { $0.vipAddress = "10.0.0.10" },
        .invalid("VIP address garbage", field: "vip_address") { $0.vipAddress = "10.0.0" },
    ]

    @Test("load balancer fields", arguments: lbCases)
    func loadBalancer(_ testCase: EditCase<LoadBalancer>) {
        let lb = testCase.applied(to: LoadBalancer(id: "lb1", projectID: "p", vipSubnetID: "s"))
        expectValidation(field: testCase.field) { () throws(ValidationError) in try lb.validate() }
    }

    @Test(
        "quota limits lie in -1...2000000000",
        arguments: [
            (QuotaResource.loadBalancer, -1, true), (.listener, 0, true), (.pool, 2_000_000_000, true),
            (.member, -2, false), (.healthMonitor, 2_000_000_001, false), (.l7Policy, 50, true), (.l7Rule, -100, false),
        ])
    func quotaRange(_ resource: QuotaResource, _ limit: Int, _ valid: Bool) {
        let quota = Quota(limits: [resource: limit])
        expectValidation(field: valid ? nil : resource.rawValue) { () throws(ValidationError) in try quota.validate() }
    }

    @Test("effective limit: explicit, then default, then unlimited")
    func effectiveLimit() {
        let defaults = Quota(limits: [.loadBalancer: 10, .pool: 5])
        let quota = Quota(limits: [.loadBalancer: 3])
        #expect(quota.effectiveLimit(.loadBalancer, defaults: defaults) == 3)
        #expect(quota.effectiveLimit(.pool, defaults: defaults) == 5)
        #expect(quota.effectiveLimit(.member, defaults: defaults) == Quota.unlimited)
        #expect(Quota.seedDefaults[.loadBalancer] == 10)
        #expect(Quota.seedDefaults[.member] == -1)
    }

    @Test(
        "allows: within the limit or unlimited",
        arguments: [
            (-1, 1_000_000, 5, true), (10, 9, 1, true), (10, 10, 1, false), (10, 5, 5, true), (10, 5, 6, false),
            (0, 0, 1, false), (0, 0, 0, true),
        ])
    func allows(_ limit: Int, _ inUse: Int, _ adding: Int, _ expected: Bool) {
        #expect(Quota.allows(limit: limit, inUse: inUse, adding: adding) == expected)
    }

    @Test("quota resources map to resource kinds and back", arguments: QuotaResource.allCases)
    func resourceKinds(_ resource: QuotaResource) {
        #expect(QuotaResource(kind: resource.resourceKind) == resource)
        #expect(QuotaResource(kind: .amphora) == nil)
    }
}
