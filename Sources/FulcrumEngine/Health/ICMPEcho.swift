/// ICMP echo request and reply bytes, for IPv4 (RFC 792) and IPv6 (RFC 4443), free of I/O.
///
/// A request carries an identifier, a sequence number and a payload that the reply echoes; a reply matches when
/// its type is the echo reply (0; ICMPv6: 129), its sequence and payload are the request's and — on a raw socket,
/// where the kernel hands every ICMP packet of the host to every raw socket — its identifier too. On a ping socket
/// the kernel rewrites the identifier and delivers only the socket's own replies, without the IP header a raw IPv4
/// socket reads (an ICMPv6 socket never sees the IPv6 header). The kernel computes ICMPv6 checksums itself (they
/// cover a pseudo-header of addresses this value does not know), so an ICMPv6 request leaves it zero.
struct ICMPEcho: Sendable, Hashable {
    var identifier: UInt16
    var sequence: UInt16
    var payload: [UInt8]
    var ipv6 = false

    var requestType: UInt8 { ipv6 ? 128 : 8 }
    var replyType: UInt8 { ipv6 ? 129 : 0 }

    /// The request: type, code 0, checksum, identifier, sequence, payload.
    var request: [UInt8] {
        var bytes: [UInt8] = [requestType, 0, 0, 0]
        bytes += [UInt8(identifier >> 8), UInt8(identifier & 0xff), UInt8(sequence >> 8), UInt8(sequence & 0xff)]
        bytes += payload
        guard !ipv6 else { return bytes }
        let sum = Self.checksum(bytes)
        bytes[2] = UInt8(sum >> 8)
        bytes[3] = UInt8(sum & 0xff)
        return bytes
    }

    /// Whether `packet` is the reply to this request. `raw`: the identifier must match, and an IPv4 packet starts
    /// with its IP header.
    func isReply(_ packet: [UInt8], raw: Bool) -> Bool {
        var icmp = packet[...]
        if raw, !ipv6 {
            guard let first = packet.first, first >> 4 == 4 else { return false }
            let headerLength = Int(first & 0x0f) * 4
            guard headerLength >= 20, packet.count >= headerLength else { return false }
            icmp = packet[(packet.startIndex + headerLength)...]
        }
        let bytes = Array(icmp)
        guard bytes.count == 8 + payload.count, bytes[0] == replyType, bytes[1] == 0 else { return false }
        guard UInt16(bytes[6]) << 8 | UInt16(bytes[7]) == sequence, Array(bytes[8...]) == payload else { return false }
        return !raw || UInt16(bytes[4]) << 8 | UInt16(bytes[5]) == identifier
    }

    /// The Internet checksum: ones' complement of the ones' complement sum of 16-bit words.
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }
}
