import Foundation
import FulcrumModel
import Testing

@Suite("IPv4 addresses, networks and subnets")
struct IPv4Tests {
    @Test(
        "address parsing",
        arguments: [
            ("0.0.0.0", UInt32(0)), ("10.0.0.1", 0x0A00_0001), ("192.168.1.255", 0xC0A8_01FF),
            ("255.255.255.255", UInt32.max),
        ])
    func parse(_ text: String, _ raw: UInt32) {
        let address = IPv4Address(text)
        #expect(address?.rawValue == raw)
        #expect(address?.description == text)
    }

    @Test(
        "address rejects",
        arguments: [
            "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1..2.3", "a.b.c.d", "1.2.3.4 ", "-1.2.3.4",
            "1.2.3.1000",
        ])
    func reject(_ text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test("addresses order numerically")
    func ordering() throws {
        let low = try #require(IPv4Address("10.0.0.9"))
        let high = try #require(IPv4Address("10.0.0.10"))
        #expect(low < high)
    }

    @Test("addresses round-trip through JSON as strings")
    func codable() throws {
        let address = try #require(IPv4Address("172.16.0.4"))
        let data = try JSONEncoder().encode([address])
        #expect(String(decoding: data, as: UTF8.self) == #"["172.16.0.4"]"#)
        #expect(try JSONDecoder().decode([IPv4Address].self, from: data) == [address])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([IPv4Address].self, from: Data(#"["x"]"#.utf8)) }
    }

    @Test(
        "network parsing",
        arguments: [
            ("10.0.0.0/8", "10.255.255.255"), ("192.168.1.0/24", "192.168.1.255"), ("0.0.0.0/0", "255.255.255.255"),
            ("10.1.2.3/32", "10.1.2.3"), ("10.0.0.0/31", "10.0.0.1"),
        ])
    func network(_ text: String, _ broadcast: String) throws {
        let network = try #require(IPv4Network(text))
        #expect(network.description == text)
        #expect(network.broadcastAddress.description == broadcast)
    }

    @Test(
        "network rejects",
        arguments: ["10.0.0.1/24", "10.0.0.0", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "x/8", "10.0.0.0/8/8"])
    func networkReject(_ text: String) {
        #expect(IPv4Network(text) == nil)
    }

    @Test("init(address:prefixLength:) clears host bits")
    func clearsHostBits() throws {
        let address = try #require(IPv4Address("10.1.2.3"))
        let network = try #require(IPv4Network(address: address, prefixLength: 16))
        #expect(network.description == "10.1.0.0/16")
        #expect(IPv4Network(address: network.networkAddress, prefixLength: 33) == nil)
    }

    @Test(
        "contains",
        arguments: [("192.168.1.0", true), ("192.168.1.255", true), ("192.168.2.0", false), ("192.168.0.255", false)])
    func contains(_ text: String, _ inside: Bool) throws {
        let network = try #require(IPv4Network("192.168.1.0/24"))
        #expect(network.contains(try #require(IPv4Address(text))) == inside)
    }

    @Test(
        "subnet allocation range defaults",
        arguments: [
            ("10.0.0.0/24", "10.0.0.1", "10.0.0.2", "10.0.0.254"),
            ("10.0.0.0/24", "10.0.0.254", "10.0.0.1", "10.0.0.254"),
            ("10.0.0.0/24", nil, "10.0.0.1", "10.0.0.254"),
            ("172.16.0.0/30", "172.16.0.1", "172.16.0.2", "172.16.0.2"),
        ] as [(String, String?, String, String)])
    func subnetDefaults(_ cidr: String, _ gateway: String?, _ start: String, _ end: String) throws {
        let subnet = Subnet(
            name: "vip", cidr: try #require(IPv4Network(cidr)), gateway: gateway.flatMap(IPv4Address.init),
            bridge: "br0")
        #expect(subnet.allocationStart.description == start)
        #expect(subnet.allocationEnd.description == end)
        #expect(subnet.id == "vip")
        #expect(subnet.networkID == "vip-net")
        #expect(subnet.problems().isEmpty)
    }

    @Test("subnet allocatable excludes the gateway and out-of-range addresses")
    func allocatable() throws {
        let subnet = Subnet(
            name: "vip", cidr: try #require(IPv4Network("10.0.0.0/24")), gateway: IPv4Address("10.0.0.100"),
            allocationStart: IPv4Address("10.0.0.50"), allocationEnd: IPv4Address("10.0.0.150"), bridge: "br0")
        #expect(subnet.isAllocatable(try #require(IPv4Address("10.0.0.50"))))
        #expect(subnet.isAllocatable(try #require(IPv4Address("10.0.0.150"))))
        #expect(!subnet.isAllocatable(try #require(IPv4Address("10.0.0.100"))))
        #expect(!subnet.isAllocatable(try #require(IPv4Address("10.0.0.49"))))
        #expect(!subnet.isAllocatable(try #require(IPv4Address("10.0.0.151"))))
    }

    @Test("subnet problems name each broken rule")
    func problems() throws {
        let subnet = Subnet(
            name: "vip", cidr: try #require(IPv4Network("10.0.0.0/24")), gateway: IPv4Address("10.0.1.1"),
            allocationStart: IPv4Address("10.0.0.200"), allocationEnd: IPv4Address("10.0.0.100"), bridge: "")
        let problems = subnet.problems()
        #expect(problems.count == 3)
        #expect(problems.contains { $0.contains("gateway") })
        #expect(problems.contains("allocation start is after allocation end"))
        #expect(problems.contains("bridge is empty"))
        let outside = Subnet(
            name: "x", cidr: try #require(IPv4Network("10.0.0.0/24")), allocationStart: IPv4Address("10.0.1.1"),
            allocationEnd: IPv4Address("10.0.2.1"), bridge: "br0")
        #expect(outside.problems().filter { $0.contains("outside") }.count == 2)
    }
}
