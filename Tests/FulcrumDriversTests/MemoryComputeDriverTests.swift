import FulcrumDrivers
import Testing

@Suite("MemoryComputeDriver (compute port stand-in)")
struct MemoryComputeDriverTests {
    let image = AmphoraImage(kernelPath: "/images/vmlinuz", initrdPath: "/images/initrd.img")

    func spec(_ id: String, nics: [NICSpec] = [NICSpec(bridge: "fulcrum-mgmt")]) -> AmphoraSpec {
        AmphoraSpec(amphoraID: id, image: image, nics: nics, bootParameters: ["mgmt": "203.0.113.10/24"])
    }

    @Test("build → status → list → delete; delete is idempotent and status then says notFound")
    func lifecycle() async throws {
        let driver = MemoryComputeDriver()
        let built = try await driver.build(spec("a1"))
        #expect(built.name == "fulcrum-amphora-a1")
        #expect(built.state == .running)
        #expect(try await driver.status("a1") == built)
        #expect(try await driver.list().map(\.amphoraID) == ["a1"])
        try await driver.delete("a1")
        try await driver.delete("a1")
        let error = await #expect(throws: ComputeError.self) { try await driver.status("a1") }
        #expect(error?.code == .notFound)
        #expect(try await driver.list().isEmpty)
    }

    @Test("a second build of the same id is alreadyExists; an invalid spec is invalidSpec")
    func errors() async throws {
        let driver = MemoryComputeDriver()
        _ = try await driver.build(spec("a1"))
        let again = await #expect(throws: ComputeError.self) { try await driver.build(spec("a1")) }
        #expect(again?.code == .alreadyExists)
        let bad = await #expect(throws: ComputeError.self) { try await driver.build(spec("bad id", nics: [])) }
        #expect(bad?.code == .invalidSpec)
    }

    @Test("NICs attach and detach by MAC; unknown MAC is notFound")
    func nics() async throws {
        let driver = MemoryComputeDriver()
        let built = try await driver.build(spec("a1"))
        #expect(built.macAddresses == [MACAddress.derived(amphoraID: "a1", index: 0)])
        try await driver.attachNIC("a1", NICSpec(bridge: "fulcrum-private", macAddress: "52:54:00:00:00:02"))
        #expect(try await driver.status("a1").macAddresses.count == 2)
        try await driver.detachNIC("a1", macAddress: "52:54:00:00:00:02")
        let missing = await #expect(throws: ComputeError.self) {
            try await driver.detachNIC("a1", macAddress: "52:54:00:00:00:02")
        }
        #expect(missing?.code == .notFound)
    }
}

@Suite("AmphoraSpec validation and naming")
struct AmphoraSpecTests {
    let image = AmphoraImage(kernelPath: "/k", initrdPath: "/i")

    @Test("spaces or quotes in boot parameters, bad ids and bad MACs are problems")
    func problems() {
        let spec = AmphoraSpec(
            amphoraID: "a/1", image: image, nics: [NICSpec(bridge: "br0", macAddress: "52:54:00:zz:00:01")],
            bootParameters: ["mgmt": "203.0.113.10/24 rm", "ok": "1"], secrets: ["../key": [1]])
        let problems = spec.problems()
        #expect(problems.count == 4, "\(problems)")
        let good = AmphoraSpec(amphoraID: "0f3a-1", image: image, nics: [NICSpec(bridge: "fulcrum-mgmt")])
        #expect(good.problems().isEmpty)
    }

    @Test("domain names round-trip; derived MACs are stable, distinct per NIC and in 52:54:00")
    func naming() {
        #expect(ComputeInstance.amphoraID(fromName: ComputeInstance.name(for: "abc")) == "abc")
        #expect(ComputeInstance.amphoraID(fromName: "other-vm") == nil)
        let mac0 = MACAddress.derived(amphoraID: "abc", index: 0)
        #expect(mac0 == MACAddress.derived(amphoraID: "abc", index: 0))
        #expect(mac0 != MACAddress.derived(amphoraID: "abc", index: 1))
        #expect(mac0.hasPrefix("52:54:00:") && MACAddress.isValid(mac0))
    }
}
