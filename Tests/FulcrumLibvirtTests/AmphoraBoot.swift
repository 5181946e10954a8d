import Foundation
import FulcrumCertificates
import FulcrumDrivers
import FulcrumLibvirt
import FulcrumWire
import Logging

/// Boots one amphora through `LibvirtComputeDriver` in the lab and times it from the host (the guest clock is not
/// trustworthy under TCG).
struct AmphoraBoot {
    /// Seconds from `build` to the console's `fulcrum-init: ready` marker, to the first answered ping and (with an
    /// `AgentProbe`) to the agent's first `GET /v1/info` answer over mutual TLS.
    struct Timing: Sendable {
        var built: Duration
        var consoleReady: Duration?
        var pingReady: Duration?
        var agentReady: Duration?
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

    /// Builds `spec` and waits (at most `limit`) for the ready marker and a ping answer from inside the lab, and for
    /// the agent's answer when `agent` is given.
    func bootAndWait(
        _ spec: AmphoraSpec, address: String, agent: AgentProbe? = nil, limit: Duration = .seconds(90)
    ) async throws -> Timing {
        let clock = ContinuousClock()
        let start = clock.now
        let instance = try await driver.build(spec)
        var timing = Timing(built: clock.now - start, console: "")
        let consolePath = instance.consoleLogPath ?? ""
        let built = clock.now
        func waiting() -> Bool {
            timing.consoleReady == nil || timing.pingReady == nil || (agent != nil && timing.agentReady == nil)
        }
        while clock.now - built < limit && waiting() {
            if let agent, timing.agentReady == nil {
                let info = try await LabShell.inLab(agent.curl, seconds: 5)
                if info.status == 0 && info.output.hasPrefix("200") { timing.agentReady = clock.now - start }
            }
            if timing.consoleReady == nil {
                let console = await Self.read(consolePath)
                if console.contains("fulcrum-init: ready") { timing.consoleReady = clock.now - start }
            }
            if timing.pingReady == nil {
                let ping = try await LabShell.inLab(["ping", "-c", "1", "-W", "1", address], seconds: 5)
                if ping.status == 0 { timing.pingReady = clock.now - start }
            }
            try await Task.sleep(for: .milliseconds(agent == nil ? 200 : 50))
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

/// What an amphora's agent needs to serve its API over mutual TLS (a CA, a server certificate for the management
/// address, the agent's settings in the secrets archive), and a `curl` of `GET /v1/info` with a client certificate
/// from the same CA, run inside the lab. The keys stay in files of `directory` (0600) and in the archive.
struct AgentProbe {
    let secrets: [String: [UInt8]]
    let curl: [String]

    init(amphoraID: String, address: String, directory: String) throws {
        let ca = try LocalCertificateAuthority.loadOrCreate(directory: directory + "/ca")
        let server = try ca.issueServerCertificate(
            commonName: amphoraID, ipAddresses: [address], validity: .seconds(3_600))
        let client = try ca.issueClientCertificate(commonName: "bench-boot", validity: .seconds(3_600))
        let files = [
            "ca.pem": ca.caCertificatePEM, "client.pem": client.certificatePEM, "client.key": client.privateKeyPEM,
        ]
        for (name, text) in files {
            let path = directory + "/" + name
            guard
                FileManager.default.createFile(
                    atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteUnknown) }
        }
        let agent = AgentSettings(
            controllers: ["203.0.113.1:5555"], heartbeatIntervalMs: 10_000,
            heartbeatKey: "bench-boot-\(UInt64.random(in: 0...UInt64.max))",
            api: .init(
                host: "0.0.0.0", port: 9443, certificateChainFile: "/secrets/server.pem",
                privateKeyFile: "/secrets/server.key", clientCaFile: "/secrets/client-ca.pem"))
        secrets = [
            "agent.json": try WireJSON.encode(
                AgentConfigFile(agent: agent, amphora: AmphoraConfig(generation: 0, amphoraId: amphoraID, vip: ""))),
            "server.pem": Array(server.certificatePEM.utf8),
            "server.key": Array(server.privateKeyPEM.utf8),
            "client-ca.pem": Array(ca.caCertificatePEM.utf8),
        ]
        curl = [
            "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--connect-timeout", "1", "--max-time", "2",
            "--cacert", directory + "/ca.pem", "--cert", directory + "/client.pem", "--key", directory + "/client.key",
            "https://\(address):9443/v1/info",
        ]
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
