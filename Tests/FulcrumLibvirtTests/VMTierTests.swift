import Foundation
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
