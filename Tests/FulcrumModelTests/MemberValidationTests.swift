import FulcrumModel
import Testing

@Suite("Member validation (reference §1.4)")
struct MemberValidationTests {
    static let cases: [EditCase<Member>] = [
        .valid("defaults") { _ in },
        .invalid("name of 256", field: "name") { $0.name = Fixtures.long256 },
        .invalid("tag of 256", field: "tags") { $0.tags = [Fixtures.long256] },
        .valid("IPv6 address") { $0.address = "2001:db8::10" },
        .valid("IPv4-mapped IPv6 address") { $0.address = "::ffff:10.0.0.1" },
        .invalid("hostname", field: "address") { $0.address = "backend.example" },
        .invalid("bad IPv4", field: "address") { $0.address = "10.0.0.256" },
        .invalid("bad IPv6", field: "address") { $0.address = "2001:db8:::1" },
        .invalid("reserved metadata address", field: "address") { $0.address = "169.254.169.254" },
        .valid("other link-local address") { $0.address = "169.254.0.1" },
        .invalid("port 0", field: "protocol_port") { $0.protocolPort = 0 },
        .invalid("port 65536", field: "protocol_port") { $0.protocolPort = 65536 },
        .valid("weight 0") { $0.weight = 0 },
        .valid("weight 256") { $0.weight = 256 },
        .invalid("weight -1", field: "weight") { $0.weight = -1 },
        .invalid("weight 257", field: "weight") { $0.weight = 257 },
        .valid("monitor address and port") {
            $0.monitorAddress = "10.0.0.6"
            $0.monitorPort = 9000
        },
        .invalid("monitor address not an IP", field: "monitor_address") { $0.monitorAddress = "x" },
        .invalid("monitor port 0", field: "monitor_port") { $0.monitorPort = 0 },
        .invalid("monitor port 70000", field: "monitor_port") { $0.monitorPort = 70000 },
    ]

    @Test("member fields", arguments: cases)
    func member(_ testCase: EditCase<Member>) {
        let member = testCase.applied(to: Fixtures.member())
        expectValidation(field: testCase.field) { () throws(ValidationError) in try member.validate() }
    }

    @Test("reserved addresses come from configuration")
    func configuredReservedAddresses() throws {
        var member = Fixtures.member()
        member.address = "10.0.0.9"
        #expect(throws: ValidationError.self) { try member.validate(reservedAddresses: ["10.0.0.9"]) }
        member.address = "169.254.169.254"
        try member.validate(reservedAddresses: [])
    }

    @Test("a member starts NO_MONITOR unless its pool has a monitor")
    func initialStatus() {
        #expect(Member.initialOperatingStatus(poolHasHealthMonitor: true) == .offline)
        #expect(Member.initialOperatingStatus(poolHasHealthMonitor: false) == .noMonitor)
    }
}
