import Testing

@testable import FulcrumEngine

@Suite("ICMP echo packets (no I/O)")
struct ICMPEchoTests {
    static let echo = ICMPEcho(identifier: 0x1234, sequence: 0xbeef, payload: Array("fulcrum!".utf8))

    /// The reply a kernel sends: type 0, the request's identifier, sequence and payload, a fresh checksum.
    static func reply(_ echo: ICMPEcho, identifier: UInt16? = nil) -> [UInt8] {
        var bytes = echo.request
        bytes[0] = 0
        if let identifier {
            bytes[4] = UInt8(identifier >> 8)
            bytes[5] = UInt8(identifier & 0xff)
        }
        bytes[2] = 0
        bytes[3] = 0
        let sum = ICMPEcho.checksum(bytes)
        bytes[2] = UInt8(sum >> 8)
        bytes[3] = UInt8(sum & 0xff)
        return bytes
    }

    /// A minimal IPv4 header (IHL 5) in front of `icmp`, as a raw socket reads it.
    static func ipv4(_ icmp: [UInt8]) -> [UInt8] {
        [0x45, 0, 0, UInt8(20 + icmp.count), 0, 0, 0x40, 0, 64, 1, 0, 0, 127, 0, 0, 2, 127, 0, 0, 1] + icmp
    }

    @Test("a request is type 8 with identifier, sequence and payload, and its checksum verifies")
    func request() {
        let bytes = Self.echo.request
        #expect(Array(bytes[0..<2]) == [8, 0])
        #expect(Array(bytes[4..<8]) == [0x12, 0x34, 0xbe, 0xef])
        #expect(Array(bytes[8...]) == Array("fulcrum!".utf8))
        #expect(ICMPEcho.checksum(bytes) == 0)
        // an odd length pads with a zero byte
        #expect(ICMPEcho.checksum([0x01]) == ~UInt16(0x0100))
    }

    @Test("ping socket: a reply matches on sequence and payload whatever identifier the kernel chose")
    func datagramReply() {
        #expect(Self.echo.isReply(Self.reply(Self.echo, identifier: 7), raw: false))
        var other = Self.echo
        other.sequence = 1
        #expect(!Self.echo.isReply(Self.reply(other), raw: false))
        other = Self.echo
        other.payload = Array("someone!".utf8)
        #expect(!Self.echo.isReply(Self.reply(other), raw: false))
        #expect(!Self.echo.isReply(Self.echo.request, raw: false))  // our own request (type 8)
        #expect(!Self.echo.isReply([0, 0], raw: false))
    }

    @Test("raw socket: the IPv4 header is skipped and the identifier must match too")
    func rawReply() {
        #expect(Self.echo.isReply(Self.ipv4(Self.reply(Self.echo)), raw: true))
        #expect(!Self.echo.isReply(Self.ipv4(Self.reply(Self.echo, identifier: 7)), raw: true))
        #expect(!Self.echo.isReply(Self.ipv4(Self.echo.request), raw: true))
        #expect(!Self.echo.isReply(Self.reply(Self.echo), raw: true))  // no IP header
        #expect(!Self.echo.isReply([], raw: true))
    }
}
