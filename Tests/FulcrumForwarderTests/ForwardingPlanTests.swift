import Foundation
import FulcrumModel
import FulcrumStore
import Testing

@testable import FulcrumForwarder

@Suite("Forwarding plan")
struct ForwardingPlanTests {
    static func target(_ id: String, port: Int, vip: String = "198.51.100.10") -> FloatingIPTarget {
        FloatingIPTarget(
            floatingIP: FloatingIP(
                id: id, projectID: "p", loadBalancerID: "lb", floatingAddress: IPv4Address("127.0.0.1")!,
                floatingPort: port, listenerPort: 80, createdAt: Date(timeIntervalSince1970: 0)),
            vipAddress: IPv4Address(vip)!)
    }

    @Test("new floating IPs are opened, removed ones closed, unchanged ones left alone")
    func diff() {
        let a = Self.target("a", port: 8080)
        let b = Self.target("b", port: 8081)
        let c = Self.target("c", port: 8082)
        let plan = ForwardingPlan(current: ["a": a, "b": b], desired: [a, c])
        #expect(plan.close == ["b"])
        #expect(plan.open == [c])
    }

    @Test("a floating IP whose VIP changed is closed and reopened")
    func changed() {
        let before = Self.target("a", port: 8080)
        let after = Self.target("a", port: 8080, vip: "198.51.100.11")
        let plan = ForwardingPlan(current: ["a": before], desired: [after])
        #expect(plan.close == ["a"])
        #expect(plan.open == [after])
    }

    @Test("nothing to do when the store matches")
    func steady() {
        let a = Self.target("a", port: 8080)
        let plan = ForwardingPlan(current: ["a": a], desired: [a])
        #expect(plan.close.isEmpty && plan.open.isEmpty)
    }

    @Test("a bind failure is reported once until its message changes or it is cleared")
    func failuresOnce() {
        var failures = BindFailures()
        var logged: [Bool] = []
        logged.append(failures.record("a", "in use"))
        logged.append(failures.record("a", "in use"))
        logged.append(failures.record("a", "permission denied"))
        failures.clear("a")
        logged.append(failures.record("a", "permission denied"))
        failures.keep(only: [])
        logged.append(failures.record("a", "permission denied"))
        #expect(logged == [true, false, true, true, true])
    }
}
