import FulcrumWire
import Testing

@Suite("VRRP advert codec")
struct VRRPAdvertCodecTests {
    let codec = VRRPAdvertCodec(key: "pair-secret")

    /// From `vrrp_golden.py`, which builds the datagram with Python's struct, ipaddress and hmac.
    static let golden = hexBytes(
        "465652500102640003e800000000000000000000ffffcb00710a00000000000000000000ffff0a00000b0123456789abcdef"
            + "000000000000002a5575684f4ee2a3c176d0a90bd802ecff495b47c9ef79ee162002ecb66b9dcb4b")

    static let advert = VRRPAdvert(
        group: VRRPAddress("203.0.113.10")!, sender: VRRPAddress("10.0.0.11")!, priority: 100, state: .master,
        advertIntervalMs: 1000, bootId: 0x0123_4567_89AB_CDEF, sequence: 42)

    static func hexBytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        }
    }

    @Test("seal produces the golden bytes, and open decodes them")
    func golden() throws {
        #expect(Self.golden.count == VRRPAdvertCodec.size)
        #expect(codec.seal(Self.advert) == Self.golden)
        #expect(try codec.open(Self.golden) == Self.advert)
    }

    @Test("a resign advert and an IPv6 group round trip")
    func roundTrip() throws {
        let resign = VRRPAdvert(
            group: VRRPAddress("2001:db8::10")!, sender: VRRPAddress("2001:db8::11")!,
            priority: VRRPAdvert.resignPriority, state: .backup, advertIntervalMs: 200, bootId: .max, sequence: 0)
        let opened = try codec.open(codec.seal(resign))
        #expect(opened == resign)
        #expect(opened.isResign)
        #expect(opened.group.description == "2001:db8:0:0:0:0:0:10")
    }

    @Test("every flipped byte, in body or tag, is refused as a bad signature")
    func tampered() {
        for index in Self.golden.indices {
            var bytes = Self.golden
            bytes[index] ^= 0x01
            #expect(throws: VRRPAdvertCodecError.badSignature) { try codec.open(bytes) }
        }
    }

    @Test("truncated, padded and empty datagrams are refused before the HMAC")
    func lengths() {
        for bytes in [[], Array(Self.golden.dropLast()), Self.golden + [0], Array(Self.golden.prefix(58))] {
            #expect(throws: VRRPAdvertCodecError.wrongLength) { try codec.open(bytes) }
        }
    }

    @Test("another key is refused")
    func wrongKey() {
        #expect(throws: VRRPAdvertCodecError.badSignature) {
            try VRRPAdvertCodec(key: "pair-secreT").open(Self.golden)
        }
    }

    @Test("an authenticated datagram of another version or state is refused after the HMAC")
    func versionAndState() {
        let signer = VRRPAdvertCodec(key: "pair-secret")
        var wrongVersion = Array(Self.golden.prefix(58))
        wrongVersion[4] = 2
        var wrongState = Array(Self.golden.prefix(58))
        wrongState[5] = 3
        #expect(throws: VRRPAdvertCodecError.unsupportedVersion) {
            try codec.open(signer.signForTesting(wrongVersion))
        }
        #expect(throws: VRRPAdvertCodecError.badState) { try codec.open(signer.signForTesting(wrongState)) }
    }
}

@Suite("VRRP address and replay guard")
struct VRRPAddressTests {
    @Test("IPv4 is stored mapped, ordered numerically, and printed as a dotted quad")
    func ordering() throws {
        let low = try #require(VRRPAddress("10.0.0.9"))
        let high = try #require(VRRPAddress("10.0.0.10"))
        #expect(low < high)  // numeric, not textual
        #expect(low.isIPv4 && low.description == "10.0.0.9")
        #expect(VRRPAddress("::ffff:10.0.0.9") == low)
        #expect(VRRPAddress("eth1") == nil && VRRPAddress("10.0.0.256") == nil && VRRPAddress("") == nil)
    }

    @Test("sequence must grow per boot; a new boot is fresh; a recorded packet of an old boot stays refused")
    func replay() throws {
        var guardian = VRRPReplayGuard()
        func advert(_ sender: String, boot: UInt64, seq: UInt64) -> VRRPAdvert {
            VRRPAdvert(
                group: VRRPAddress("10.0.0.100")!, sender: VRRPAddress(sender)!, priority: 100, state: .master,
                advertIntervalMs: 1000, bootId: boot, sequence: seq)
        }
        let steps: [(VRRPAdvert, Bool)] = [
            (advert("10.0.0.1", boot: 1, seq: 5), true),
            (advert("10.0.0.1", boot: 1, seq: 5), false),
            (advert("10.0.0.1", boot: 1, seq: 4), false),
            (advert("10.0.0.1", boot: 1, seq: 6), true),
            (advert("10.0.0.1", boot: 2, seq: 0), true),
            (advert("10.0.0.1", boot: 1, seq: 6), false),
            (advert("10.0.0.1", boot: 2, seq: 1), true),
            (advert("10.0.0.2", boot: 1, seq: 1), true),
        ]
        for (index, step) in steps.enumerated() {
            #expect(guardian.admit(step.0) == step.1, "step \(index)")
        }
    }
}
