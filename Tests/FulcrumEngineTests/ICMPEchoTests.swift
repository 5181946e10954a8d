import NIOCore
import NIOPosix
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

    @Test("ICMPv6: request type 128 with the checksum left to the kernel; a reply is type 129, never header-stripped")
    func ipv6() {
        var echo = Self.echo
        echo.ipv6 = true
        let request = echo.request
        #expect(request[0] == 128 && request[1] == 0 && request[2] == 0 && request[3] == 0)
        #expect(Array(request[4..<8]) == [0x12, 0x34, 0xbe, 0xef] && Array(request[8...]) == echo.payload)
        var reply = request
        reply[0] = 129
        #expect(echo.isReply(reply, raw: false))
        #expect(echo.isReply(reply, raw: true), "an ICMPv6 raw socket reads no IP header")
        #expect(!echo.isReply(request, raw: true), "our own request, seen by a raw socket on ::1, is not the reply")
        reply[5] = 0
        #expect(echo.isReply(reply, raw: false) && !echo.isReply(reply, raw: true))
    }

    @Test("a live echo to ::1 is answered", .enabled(if: PingMethod.detect() != .tcpConnect, "no ICMP socket here"))
    func liveIPv6() async throws {
        let raw = PingMethod.detect() == .icmpRaw
        try #require(ICMPProbe.supports("::1", raw: raw))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        #expect(try await ICMPProbe.probe("::1", raw: raw, timeout: .seconds(5), on: loop).get())
        #expect(try await ICMPProbe.probe("127.0.0.1", raw: raw, timeout: .seconds(5), on: loop).get())
    }
}
