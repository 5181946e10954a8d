import FulcrumWire
import Testing

@Suite("Heartbeat codec (Octavia v3 envelope)")
struct HeartbeatCodecTests {
    let codec = HeartbeatCodec(key: HeartbeatGoldenFixtures.key)

    static let l1 = "0b0a1e6c-6a7e-4d39-9f58-3b1a2c1d0e01"
    static let l2 = "7f4e2d9a-1c3b-4e5f-8a6b-9c0d1e2f3a04"
    static let poolKey = "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e06:0b0a1e6c-6a7e-4d39-9f58-3b1a2c1d0e01"

    static let expected = HeartbeatMessage(
        id: "a7c1e2f3-0000-4000-8000-000000000001",
        seq: 67,
        listeners: [
            l1: .init(status: "OPEN", stats: .init(rx: 1200, tx: 56000, conns: 4, totconns: 9, ereq: 0)),
            l2: .init(status: "FULL", stats: .init(rx: 0, tx: 0, conns: 50000, totconns: 123_456_789_012, ereq: 7)),
        ],
        pools: [
            poolKey: .init(
                status: "UP",
                members: [
                    "11111111-2222-4333-8444-555555555501": "UP",
                    "11111111-2222-4333-8444-555555555502": "DOWN",
                    "11111111-2222-4333-8444-555555555503": "no check",
                ]
            )
        ]
    )

    @Test("a datagram made by Octavia's algorithm (hex digest) decodes to the expected message")
    func decodesOctaviaHex() throws {
        let message = try codec.open(HeartbeatGoldenFixtures.octaviaHex)
        #expect(message == Self.expected)
        #expect(message.bootId == nil)
    }

    @Test("a legacy datagram with the raw 32-byte digest is accepted too")
    func decodesLegacyRaw() throws {
        #expect(try codec.open(HeartbeatGoldenFixtures.octaviaLegacyRaw) == Self.expected)
    }

    @Test("the encoder reproduces Octavia's datagram byte for byte")
    func encodesByteIdentical() throws {
        #expect(try codec.seal(Self.expected) == HeartbeatGoldenFixtures.octaviaHex)
        var fulcrum = Self.expected
        fulcrum.seq = 68
        fulcrum.bootId = "f0e1d2c3-b4a5-4968-8776-655443322110"
        #expect(try codec.seal(fulcrum) == HeartbeatGoldenFixtures.fulcrumHex)
        #expect(try codec.open(HeartbeatGoldenFixtures.fulcrumHex) == fulcrum)
    }

    @Test("the hex digest is 64 lower-case hex characters at the end of the datagram")
    func digestShape() throws {
        let datagram = try codec.seal(Self.expected)
        let tail = datagram.suffix(64)
        #expect(tail.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        #expect(datagram.first == 0x78)  // zlib header
    }

    @Test("a wrong key is refused")
    func wrongKey() {
        let other = HeartbeatCodec(key: "another-key")
        #expect(throws: HeartbeatCodecError.badSignature) { try other.open(HeartbeatGoldenFixtures.octaviaHex) }
        #expect(throws: HeartbeatCodecError.badSignature) { try other.open(HeartbeatGoldenFixtures.octaviaLegacyRaw) }
    }

    @Test("flipping any single bit of the datagram is detected", arguments: [0, 1, 17, 100, -1, -33, -64, -65])
    func tamper(position: Int) {
        var datagram = HeartbeatGoldenFixtures.octaviaHex
        let index = position >= 0 ? position : datagram.count + position
        datagram[index] ^= 0x01
        #expect(throws: HeartbeatCodecError.badSignature) { try codec.open(datagram) }
    }

    @Test("an upper-case hex digest is not the Octavia form and is refused")
    func upperCaseHex() {
        var datagram = HeartbeatGoldenFixtures.octaviaHex
        for i in (datagram.count - 64)..<datagram.count where (0x61...0x66).contains(datagram[i]) {
            datagram[i] -= 0x20
        }
        #expect(throws: HeartbeatCodecError.badSignature) { try codec.open(datagram) }
    }

    @Test("truncated datagrams are refused", arguments: [0, 1, 31, 32, 33, 64, 65, 100])
    func truncated(length: Int) {
        let datagram = Array(HeartbeatGoldenFixtures.octaviaHex.prefix(length))
        #expect(throws: HeartbeatCodecError.self) { try codec.open(datagram) }
        let cutTail = Array(HeartbeatGoldenFixtures.octaviaHex.dropLast(max(1, length % 7)))
        #expect(throws: HeartbeatCodecError.self) { try codec.open(cutTail) }
    }

    @Test("datagrams over 64 KiB are refused before any digest work")
    func oversize() {
        let datagram = [UInt8](repeating: 0x41, count: HeartbeatCodec.maxDatagramSize + 1)
        #expect(throws: HeartbeatCodecError.tooLarge) { try codec.open(datagram) }
    }

    @Test("random bytes never decode")
    func randomBytes() {
        var generator = SplitMix64(seed: 0x5eed)
        for _ in 0..<500 {
            let length = Int(generator.next() % 2048)
            let datagram = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            #expect(throws: HeartbeatCodecError.self) { try codec.open(datagram) }
        }
    }

    @Test("an authenticated payload that is not zlib, or not a message, is refused after the HMAC check")
    func authenticatedGarbage() throws {
        // Octavia's algorithm over a non-zlib payload, computed in Python at authoring time is unnecessary:
        // sealing arbitrary JSON through a message with a different shape is enough.
        let notAMessage = HeartbeatCodec.payloadForTesting(json: Array(#"{"id": 1}"#.utf8))
        #expect(throws: HeartbeatCodecError.badMessage) { try codec.open(codec.signForTesting(notAMessage)) }
        let notZlib = Array("hello, not zlib".utf8)
        #expect(throws: HeartbeatCodecError.badCompression) { try codec.open(codec.signForTesting(notZlib)) }
    }

    @Test("round trip of a message with unusual strings")
    func roundTrip() throws {
        let message = HeartbeatMessage(
            id: "amp-\u{e9}-\u{1F600}-\"q\"\\\n\t", seq: UInt64.max, listeners: [:],
            pools: ["p:l": .init(status: "DOWN", members: ["m": "DOWN 1/3"])], bootId: "b")
        #expect(try codec.open(codec.seal(message)) == message)
    }

    @Test("the JSON text matches Python's json.dumps escaping")
    func pythonEscaping() {
        let message = HeartbeatMessage(id: "\u{7F}\u{e9}\u{1F600}\u{01}\"\\/", seq: 1)
        // python3 -c 'import json; print(json.dumps({"id": "\x7f\u00e9\U0001f600\x01\"\\/", "seq": 1,
        //   "listeners": {}, "pools": {}, "ver": 3}))'
        let python = #"{"id": "\u007f\u00e9\ud83d\ude00\u0001\"\\/", "seq": 1, "listeners": {}, "pools": {}, "ver": 3}"#
        #expect(String(decoding: message.pythonJSON, as: UTF8.self) == python)
    }
}

/// A seeded generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
