import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import Testing

@Suite("IPAM")
struct IPAMTests {
    @Test("VIPs come from the allocation range in order; a requested free address is honoured")
    func vipAllocation() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let first = try await fixture.activeLoadBalancer()
        let second = try await fixture.activeLoadBalancer()
        let chosen = try await fixture.activeLoadBalancer(vip: "198.51.100.22")
        #expect(first.vipAddress == "198.51.100.10")
        #expect(second.vipAddress == "198.51.100.11")
        #expect(chosen.vipAddress == "198.51.100.22")
        #expect(chosen.vipNetworkID == "private-subnet-net")
    }

    @Test("a taken, outside or gateway address is refused and nothing is written")
    func refusedAddresses() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        try await fixture.activeLoadBalancer(vip: "198.51.100.22")
        for (address, code) in [
            ("198.51.100.22", StoreError.Code.addressUnavailable), ("203.0.113.5", .invalid),
            ("198.51.100.1", .invalid), ("not-an-ip", .invalid),
        ] {
            let lb = LoadBalancer(
                id: fixture.ids.next(), projectID: fixture.project, vipSubnetID: "private-subnet", vipAddress: address)
            do {
                _ = try await fixture.store.create(.loadBalancer(lb), options: .init(), task: fixture.task())
                Issue.record("\(address) was accepted")
            } catch let error as StoreError {
                #expect(error.code == code, "\(address): \(error)")
            }
            #expect(try await fixture.store.resource(ResourceRef(.loadBalancer, lb.id), projectID: nil) == nil)
        }
        #expect(try await fixture.store.allocations(subnetID: "private-subnet").count == 1)
    }

    @Test("a subnet is exhausted cleanly and released addresses are reused")
    func exhaustionAndRelease() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let tiny = Subnet(
            name: "tiny", cidr: IPv4Network("203.0.113.0/29")!, gateway: IPv4Address("203.0.113.1")!,
            bridge: "fulcrum-mgmt")
        try await fixture.store.syncSubnets([StoreFixture.privateSubnet, tiny])
        var got: [IPv4Address] = []
        for index in 0..<5 {
            got.append(
                try await fixture.store.allocateAddress(
                    subnetID: "tiny", ownerID: "amp-\(index)", purpose: "management", requested: nil))
        }
        #expect(got.map(\.description) == ["203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5", "203.0.113.6"])
        await #expect(throws: StoreError.self) {
            _ = try await fixture.store.allocateAddress(
                subnetID: "tiny", ownerID: "amp-x", purpose: "management", requested: nil)
        }
        #expect(try await fixture.store.releaseAddresses(ownerID: "amp-2") == 1)
        let reused = try await fixture.store.allocateAddress(
            subnetID: "tiny", ownerID: "amp-y", purpose: "management", requested: nil)
        #expect(reused.description == "203.0.113.4")
    }

    @Test("two processes allocating at once never get the same address")
    func concurrentAllocation() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let stores = try (0..<2).map { _ in SQLiteStore(database: try FulcrumDatabase.open(path: fixture.databasePath))
        }
        let addresses = try await withThrowingTaskGroup(of: [IPv4Address].self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    var mine: [IPv4Address] = []
                    for n in 0..<40 {
                        mine.append(
                            try await store.allocateAddress(
                                subnetID: "private-subnet", ownerID: "owner-\(index)-\(n)", purpose: "vrrp",
                                requested: nil))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(addresses.count == 80)
        #expect(Set(addresses).count == 80)
    }
}
