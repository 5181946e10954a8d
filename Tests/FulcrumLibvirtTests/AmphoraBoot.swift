import Foundation
import FulcrumDrivers
import FulcrumLibvirt
import Logging

/// Boots one amphora through `LibvirtComputeDriver` in the lab and times it from the host (the guest clock is not
/// trustworthy under TCG).
struct AmphoraBoot {
    /// Seconds from `build` to the console's `fulcrum-init: ready` marker and to the first answered ping.
    struct Timing: Sendable {
        var built: Duration
        var consoleReady: Duration?
        var pingReady: Duration?
        var console: String
    }

    static var imageDirectory: String { LabShell.packageRoot + "/build/image" }
    static var imageExists: Bool {
        FileManager.default.fileExists(atPath: imageDirectory + "/vmlinuz")
            && FileManager.default.fileExists(atPath: imageDirectory + "/initrd.img")
    }

    let driver: LibvirtComputeDriver
    let stateDirectory: String

    init() {
        stateDirectory = "/tmp/fulcrum-vm-tests-\(UInt32.random(in: 0...UInt32.max))"
        driver = LibvirtComputeDriver(
            // TCG directly: on this machine kind the KVM attempt fails after libvirt's full start-up cost.
            configuration: LibvirtConfiguration(stateDirectory: stateDirectory, accelerator: .tcg),
            logger: Logger(label: "fulcrum.vm-tests"))
    }

    static func spec(id: String, managementAddress: String, secrets: [String: [UInt8]] = [:]) -> AmphoraSpec {
        AmphoraSpec(
            amphoraID: id,
            image: AmphoraImage(kernelPath: imageDirectory + "/vmlinuz", initrdPath: imageDirectory + "/initrd.img"),
            nics: [NICSpec(bridge: "fulcrum-mgmt"), NICSpec(bridge: "fulcrum-private")],
            bootParameters: [
                "mgmt": managementAddress + "/24", "controller": "203.0.113.1", "vip": "198.51.100.22/24",
            ],
            secrets: secrets)
    }

    /// Builds `spec` and waits (at most `limit`) for the ready marker and a ping answer from inside the lab.
    func bootAndWait(_ spec: AmphoraSpec, address: String, limit: Duration = .seconds(90)) async throws -> Timing {
        let clock = ContinuousClock()
        let start = clock.now
        let instance = try await driver.build(spec)
        var timing = Timing(built: clock.now - start, console: "")
        let consolePath = instance.consoleLogPath ?? ""
        let built = clock.now
        while clock.now - built < limit && (timing.consoleReady == nil || timing.pingReady == nil) {
            if timing.consoleReady == nil {
                let console = await Self.read(consolePath)
                if console.contains("fulcrum-init: ready") { timing.consoleReady = clock.now - start }
            }
            if timing.pingReady == nil {
                let ping = try await LabShell.inLab(["ping", "-c", "1", "-W", "1", address], seconds: 5)
                if ping.status == 0 { timing.pingReady = clock.now - start }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        timing.console = await Self.read(consolePath)
        return timing
    }

    /// Removes the test's state directory (after the domains are deleted).
    func removeStateDirectory() {
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }

    static func read(_ path: String) async -> String {
        (try? await LabShell.run(["cat", path], seconds: 5).output) ?? ""
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
