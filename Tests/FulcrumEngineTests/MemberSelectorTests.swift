import FulcrumEngine
import FulcrumWire
import Testing

@Suite("Member selection (I/O free)")
struct MemberSelectorTests {
    let client = ClientKey(address: "127.0.0.1", port: 40000)

    func picks(_ selector: inout MemberSelector, _ count: Int, client: ClientKey? = nil) -> [String] {
        (0..<count).map { _ in selector.pick(for: client ?? self.client)! }
    }

    @Test("equal weights rotate in member order")
    func roundRobinOrder() {
        var s = MemberSelector(algorithm: .roundRobin)
        s.update(candidates: ["a", "b", "c"].map { MemberCandidate(id: $0, weight: 1) })
        #expect(picks(&s, 6) == ["a", "b", "c", "a", "b", "c"])
    }

    @Test("smooth weighted round robin interleaves 5:1:1 as nginx does")
    func smoothWeights() {
        var s = MemberSelector(algorithm: .roundRobin)
        s.update(candidates: [
            MemberCandidate(id: "a", weight: 5), MemberCandidate(id: "b", weight: 1),
            MemberCandidate(id: "c", weight: 1),
        ])
        #expect(picks(&s, 7) == ["a", "a", "b", "a", "c", "a", "a"])
        let many = picks(&s, 700)
        #expect(many.filter { $0 == "a" }.count == 500)
        #expect(many.filter { $0 == "b" }.count == 100)
    }

    @Test("weight 0 drains, admin-down and unhealthy members are skipped")
    func exclusions() {
        var s = MemberSelector(algorithm: .roundRobin)
        s.update(candidates: [
            MemberCandidate(id: "drain", weight: 0), MemberCandidate(id: "maint", weight: 1, adminStateUp: false),
            MemberCandidate(id: "down", weight: 1, healthy: false), MemberCandidate(id: "ok", weight: 1),
        ])
        #expect(Set(picks(&s, 10)) == ["ok"])
    }

    @Test("backups serve only when no primary can")
    func backups() {
        var s = MemberSelector(algorithm: .roundRobin)
        var candidates = [
            MemberCandidate(id: "p", weight: 1), MemberCandidate(id: "b1", weight: 1, backup: true),
            MemberCandidate(id: "b2", weight: 1, backup: true),
        ]
        s.update(candidates: candidates)
        #expect(Set(picks(&s, 5)) == ["p"])
        candidates[0].healthy = false
        s.update(candidates: candidates)
        #expect(Set(picks(&s, 6)) == ["b1", "b2"])
        candidates[1].healthy = false
        candidates[2].healthy = false
        s.update(candidates: candidates)
        let none = s.pick(for: client)
        #expect(none == nil)
    }

    @Test("least connections prefers the least loaded per weight")
    func leastConnections() {
        var s = MemberSelector(algorithm: .leastConnections)
        s.update(candidates: [
            MemberCandidate(id: "a", weight: 1, active: 5), MemberCandidate(id: "b", weight: 1, active: 2),
            MemberCandidate(id: "c", weight: 1, active: 3),
        ])
        #expect(Set(picks(&s, 4)) == ["b"])
        s.update(candidates: [
            MemberCandidate(id: "a", weight: 4, active: 6), MemberCandidate(id: "b", weight: 1, active: 2),
        ])
        let lighter = s.pick(for: client)
        #expect(lighter == "a")  // 6/4 < 2/1
        s.update(candidates: [MemberCandidate(id: "a", weight: 1), MemberCandidate(id: "b", weight: 1)])
        #expect(Set(picks(&s, 4)) == ["a", "b"])  // ties rotate
    }

    @Test("source IP is sticky and a member leaving remaps only its own clients")
    func sourceIPConsistency() {
        var s = MemberSelector(algorithm: .sourceIP)
        let members = (1...5).map { MemberCandidate(id: "m\($0)", weight: 1) }
        s.update(candidates: members)
        let clients = (0..<1000).map { ClientKey(address: "10.1.\($0 / 250).\($0 % 250)", port: 1000 + $0) }
        let before = clients.map { s.pick(for: $0)! }
        #expect(clients.map { s.pick(for: $0)! } == before)
        #expect(Set(before).count == 5)
        var fewer = members
        fewer[2].healthy = false
        s.update(candidates: fewer)
        let after = clients.map { s.pick(for: $0)! }
        for (old, new) in zip(before, after) where old != "m3" {
            #expect(old == new)
        }
        #expect(!after.contains("m3"))
        // distribution is roughly even: each member between 10% and 35%
        for id in Set(before) {
            let share = before.filter { $0 == id }.count
            #expect((100...350).contains(share), "member \(id) got \(share)")
        }
    }

    @Test("source IP ignores the port; source IP+port does not")
    func sourcePort() {
        var ip = MemberSelector(algorithm: .sourceIP)
        var ipPort = MemberSelector(algorithm: .sourceIPPort)
        let members = (1...4).map { MemberCandidate(id: "m\($0)", weight: 1) }
        ip.update(candidates: members)
        ipPort.update(candidates: members)
        let ports = (0..<200).map { ClientKey(address: "192.168.7.9", port: 20000 + $0) }
        #expect(Set(ports.map { ip.pick(for: $0)! }).count == 1)
        #expect(Set(ports.map { ipPort.pick(for: $0)! }).count == 4)
    }
}

@Suite("Member health (rise/fall)")
struct MemberHealthTests {
    @Test("fall failures take a member down, rise successes bring it back, a success resets the streak")
    func riseFall() {
        var h = MemberHealth(rise: 2, fall: 3)
        #expect(h.isUp)
        let r1 = h.record(success: false)
        #expect(r1 == nil)
        let r2 = h.record(success: false)
        #expect(r2 == nil)
        let r3 = h.record(success: true)  // streak reset
        #expect(r3 == nil)
        let r4 = h.record(success: false)
        #expect(r4 == nil)
        let r5 = h.record(success: false)
        #expect(r5 == nil)
        let r6 = h.record(success: false)
        #expect(r6 == .wentDown)
        #expect(!h.isUp)
        let r7 = h.record(success: true)
        #expect(r7 == nil)
        let r8 = h.record(success: true)
        #expect(r8 == .wentUp)
        #expect(h.isUp)
    }

    @Test("statuses follow Octavia's strings")
    func statuses() {
        var down = MemberHealth(rise: 1, fall: 1)
        _ = down.record(success: false)
        let up = MemberHealth(rise: 1, fall: 1)
        #expect(MemberHealth.status(adminStateUp: false, weight: 1, monitored: true, health: up) == .maint)
        #expect(MemberHealth.status(adminStateUp: true, weight: 1, monitored: true, health: down) == .down)
        #expect(MemberHealth.status(adminStateUp: true, weight: 0, monitored: true, health: up) == .drain)
        #expect(MemberHealth.status(adminStateUp: true, weight: 1, monitored: true, health: up) == .up)
        #expect(MemberHealth.status(adminStateUp: true, weight: 1, monitored: false, health: up) == .noCheck)
        #expect(MemberStatus.noCheck.rawValue == "no check")
    }
}

@Suite("allowed_cidrs matching")
struct CIDRSetTests {
    @Test(
        "IPv4 and IPv6 blocks",
        arguments: [
            ("127.0.0.1", true), ("127.255.0.9", true), ("10.1.2.3", true), ("10.2.0.1", false), ("192.168.1.1", false),
            ("2001:db8::1", true), ("2001:db9::1", false), ("::ffff:127.0.0.1", true), ("not-an-ip", false),
        ])
    func matching(address: String, allowed: Bool) {
        let set = CIDRSet(["127.0.0.0/8", "10.1.0.0/16", "2001:db8::/32"])
        #expect(set.contains(address) == allowed)
    }

    @Test("empty allows everyone; an invalid entry does not open the listener")
    func emptyAndInvalid() {
        #expect(CIDRSet([]).contains("203.0.113.5"))
        let bad = CIDRSet(["300.1.1.1/8"])
        #expect(!bad.allowsEveryone)
        #expect(!bad.contains("203.0.113.5"))
    }
}
