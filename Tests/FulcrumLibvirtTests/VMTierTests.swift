import Foundation
import FulcrumDrivers
import FulcrumLibvirt
import Testing

/// The VM tier: the lab namespace, libvirt inside it and real amphora VMs. Needs root; `make test` runs as root,
/// so CI always runs it. Each test leaves the lab down.
@Suite(
    "VM tier (lab namespace, libvirt, amphora VMs)", .serialized,
    .enabled(if: LabShell.isRoot, "VM tier skipped: needs root (run `make test` as root)")
)
struct VMTierTests {
    @Test("etc/lab up is idempotent, isolates the lab, serves members inside it, and down removes everything")
    func lab() async throws {
        let up = try await LabShell.lab("up")
        #expect(up.status == 0, "\(up.output)")
        let again = try await LabShell.lab("up")
        #expect(again.status == 0, "second up: \(again.output)")

        let status = try await LabShell.lab("status")
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("bridge fulcrum-mgmt: 203.0.113.1/24"))
        #expect(status.output.contains("bridge fulcrum-private: 198.51.100.1/24"))
        #expect(status.output.contains("libvirtd: running") && status.output.contains("virtlogd: running"))

        let routes = try await LabShell.run(["ip", "route", "show", "type", "blackhole"])
        #expect(routes.output.contains("203.0.113.0/24") && routes.output.contains("198.51.100.0/24"))
        let mainLinks = try await LabShell.run(["ip", "-o", "link"])
        #expect(!mainLinks.output.contains("fulcrum-mgmt") && !mainLinks.output.contains("fulcrum-private"))

        for (name, address) in [("web1", "198.51.100.16"), ("web2", "198.51.100.17")] {
            let added = try await LabShell.lab("member-add", name, address)
            #expect(added.status == 0, "\(added.output)")
        }
        for (name, address) in [("web1", "198.51.100.16"), ("web2", "198.51.100.17")] {
            let fetched = try await LabShell.inLab(["curl", "-s", "-m", "5", "http://\(address)/"])
            #expect(fetched.output == "\(name)\n", "fetch \(address): \(fetched.output)")
        }
        let refused = try await LabShell.lab("member-add", "web3", "192.0.2.5")
        #expect(refused.status != 0, "192.0.2.0/24 must be refused")

        let down = try await LabShell.lab("down")
        #expect(down.status == 0, "\(down.output)")
        try await LabShell.expectNothingLeft()
    }
}

extension VMTierTests {
    @Test(
        "an amphora boots via libvirt: init runs, secrets arrive, mgmt address answers, delete leaves nothing",
        .enabled(if: AmphoraBoot.imageExists, "run `make image` first")
    )
    func boot() async throws {
        let up = try await LabShell.lab("up")
        try #require(up.status == 0, "\(up.output)")
        let boot = AmphoraBoot()
        let id = "vmtest-\(UInt16.random(in: 0...UInt16.max))"
        let spec = AmphoraBoot.spec(
            id: id, managementAddress: "203.0.113.10", secrets: ["agent.key": Array("not-on-the-cmdline".utf8)])

        let timing = try await boot.bootAndWait(spec, address: "203.0.113.10")
        print(
            "amphora \(id): built \(timing.built), console ready \(String(describing: timing.consoleReady)), ping \(String(describing: timing.pingReady))"
        )
        #expect(timing.console.contains("fulcrum-init: start"), "console: \(timing.console)")
        #expect(timing.console.contains("fulcrum-init: secrets 1 files"), "console: \(timing.console)")
        #expect(timing.console.contains("mgmt=203.0.113.10/24"), "console: \(timing.console)")
        #expect(timing.consoleReady != nil, "no ready marker: \(timing.console)")
        #expect(timing.pingReady != nil, "203.0.113.10 did not answer ping from inside fulcrum-lab")

        let listed = try await boot.driver.list()
        #expect(listed.map(\.amphoraID) == [id])
        #expect(listed.first?.macAddresses.count == 2)
        let processes = try await LabShell.run(["ps", "-eo", "args"])
        #expect(!processes.output.contains("not-on-the-cmdline"), "a secret is visible in the process list")
        let again = await #expect(throws: ComputeError.self) { try await boot.driver.build(spec) }
        #expect(again?.code == .alreadyExists)

        try await boot.driver.delete(id)
        try await boot.driver.delete(id)
        let gone = await #expect(throws: ComputeError.self) { try await boot.driver.status(id) }
        #expect(gone?.code == .notFound)
        #expect(try await boot.driver.list().isEmpty)
        let links = try await LabShell.run(["ip", "-n", "fulcrum-lab", "-o", "link"])
        #expect(!links.output.contains("vnet"), "tap left: \(links.output)")
        let pids = try await LabShell.run(["ip", "netns", "pids", "fulcrum-lab"])
        for pid in pids.output.split(separator: "\n") {
            let comm = try await LabShell.run(["cat", "/proc/\(pid)/comm"]).output
            #expect(!comm.contains("qemu"), "qemu pid \(pid) left")
        }
        #expect(!FileManager.default.fileExists(atPath: boot.stateDirectory + "/" + id))
        await boot.driver.close()
        boot.removeStateDirectory()

        let down = try await LabShell.lab("down")
        #expect(down.status == 0, "\(down.output)")
        try await LabShell.expectNothingLeft()
    }
}

extension LabShell {
    /// After `etc/lab down`: no lab namespaces, routes, daemons or state.
    static func expectNothingLeft() async throws {
        let namespaces = try await run(["ip", "netns", "list"])
        #expect(!namespaces.output.contains("fulcrum-lab"), "left namespaces: \(namespaces.output)")
        let routes = try await run(["ip", "route", "show", "type", "blackhole"])
        #expect(!routes.output.contains("203.0.113.0/24") && !routes.output.contains("198.51.100.0/24"))
        let status = try await lab("status")
        #expect(status.status != 0 && status.output.contains("libvirtd: stopped"), "\(status.output)")
        #expect(!FileManager.default.fileExists(atPath: "/run/fulcrum-lab"))
    }
}
