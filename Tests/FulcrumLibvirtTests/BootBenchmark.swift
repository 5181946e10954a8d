import Foundation
import FulcrumLibvirt
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `make bench-boot`: 5 sequential boots, median and max from `virDomainCreateXML` to the console's ready marker, to
/// the management address answering ping, and to the amphora agent answering `GET /v1/info` over mutual TLS (its
/// own certificate in the secrets archive; polled every 50 ms). Only runs when `make bench-boot` asks for it (never
/// a timed assertion).
@Suite(
    "Boot benchmark", .serialized,
    .enabled(
        if: LabShell.isRoot && getenv("FULCRUM_BENCH_BOOT") != nil && AmphoraBoot.imageExists,
        "boot benchmark: run `make bench-boot` (root)")
)
struct BootBenchmark {
    @Test("5 amphora boots: median and max boot-to-ready")
    func bootToReady() async throws {
        let up = try await LabShell.lab("up")
        try #require(up.status == 0, "\(up.output)")
        let boot = AmphoraBoot()
        var console: [Double] = []
        var ping: [Double] = []
        var agent: [Double] = []
        let probes = boot.stateDirectory + "-probes"
        try FileManager.default.createDirectory(atPath: probes, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: probes) }
        for run in 1...5 {
            let id = "bench-\(run)-\(UInt16.random(in: 0...UInt16.max))"
            let address = "203.0.113.2\(run)"
            let probe = try AgentProbe(amphoraID: id, address: address, directory: probes)
            let timing = try await boot.bootAndWait(
                AmphoraBoot.spec(id: id, managementAddress: address, secrets: probe.secrets), address: address,
                agent: probe)
            try await boot.driver.delete(id)
            console.append(timing.consoleReady.map(\.seconds) ?? .infinity)
            ping.append(timing.pingReady.map(\.seconds) ?? .infinity)
            agent.append(timing.agentReady.map(\.seconds) ?? .infinity)
            print(
                "bench-boot run \(run): create \(Self.format(timing.built.seconds)) s, console ready "
                    + "\(Self.format(console.last!)) s, ping \(Self.format(ping.last!)) s, agent (mTLS /v1/info) "
                    + "\(Self.format(agent.last!)) s")
            print("bench-boot run \(run) guest uptime: \(Self.milestones(in: timing.console))")
        }
        await boot.driver.close()
        boot.removeStateDirectory()
        for (name, values) in [("console ready", console), ("ping", ping), ("agent ready", agent)] {
            let sorted = values.sorted()
            print("bench-boot \(name): median \(Self.format(sorted[2])) s, max \(Self.format(sorted[4])) s")
        }
        let down = try await LabShell.lab("down")
        #expect(down.status == 0)
        #expect(console.allSatisfy(\.isFinite) && ping.allSatisfy(\.isFinite) && agent.allSatisfy(\.isFinite))
    }

    /// The guest's own clock at /init's milestones (`fulcrum-init: … up=SECONDS` console lines), to see where a
    /// boot spends its time: kernel until /init, modules, network, agent start.
    static func milestones(in console: String) -> String {
        let names = [
            ("fulcrum-init: start", "init"), ("fulcrum-init: modules loaded", "modules"), ("fulcrum-init: net", "net"),
            ("fulcrum-init: agent start #1", "agent start"),
        ]
        let lines = console.split(whereSeparator: \.isNewline)  // "\r\n" is one Character
        return names.compactMap { marker, name in
            guard let line = lines.first(where: { $0.contains(marker) }), let range = line.range(of: "up=") else {
                return nil
            }
            return "\(name) \(line[range.upperBound...].prefix { $0 != " " && $0 != "\r" }) s"
        }.joined(separator: ", ")
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "timeout" }
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
