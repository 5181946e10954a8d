import FulcrumHealthManager
import FulcrumWire
import Testing

@Suite("Heartbeat intake")
struct HeartbeatIntakeTests {
    let key = "intake-key-0123456789"

    @Test("size, signature, compression and replay checks each give their reason")
    func reasons() throws {
        var intake = HeartbeatIntake(key: key)
        let codec = HeartbeatCodec(key: key)
        let first = try codec.seal(HeartbeatMessage(id: "a", seq: 1, bootId: "b1"))
        #expect(intake.admit([UInt8](repeating: 0, count: 70 * 1024)) == .failure(.tooLarge))
        #expect(intake.admit([1, 2, 3]) == .failure(.tooShort))
        var tampered = first
        tampered[0] ^= 0xff
        #expect(intake.admit(tampered) == .failure(.badSignature))
        #expect(try intake.admit(first).get().seq == 1)
        #expect(intake.admit(first) == .failure(.replayed))
        // A new boot may start its sequence again.
        #expect(try intake.admit(try codec.seal(HeartbeatMessage(id: "a", seq: 1, bootId: "b2"))).get().bootId == "b2")
    }
}
