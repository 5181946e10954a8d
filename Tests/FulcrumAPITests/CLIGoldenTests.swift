import ArgumentParser
import Foundation
import FulcrumAPI
import FulcrumRuntime
import FulcrumTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// The seed's walkthrough through the `fulcrum` command tree against a live API on 127.0.0.1 (temp SQLite store),
/// each step's stdout, stderr and exit status compared byte for byte with `Golden/CLI/<step>.txt` after
/// `VolatileText` replaced UUIDs, timestamps and the port. To accept a deliberate change of output:
/// `FULCRUM_UPDATE_GOLDEN=1 swift test --skip-build --filter CLIGoldenTests`, then review `git diff Tests`.
@Suite("fulcrum CLI golden output of the seed's walkthrough")
struct CLIGoldenTests {
    /// One invocation: `argv` after `fulcrum`, as which token, and whether the worker stand-in runs afterwards.
    struct Step: Sendable {
        var name: String
        var arguments: [String]
        var admin = false
        var complete = true
    }

    static let walkthrough: [Step] = [
        Step(
            name: "01-loadbalancer-create", arguments: ["loadbalancer-create", "--name", "test-lb", "private-subnet"]),
        Step(name: "02-loadbalancer-show", arguments: ["loadbalancer-show", "test-lb"]),
        Step(name: "03-loadbalancer-list", arguments: ["loadbalancer-list"]),
        Step(
            name: "04-listener-create",
            arguments: [
                "listener-create", "--name", "test-lb-http", "--loadbalancer", "test-lb", "--protocol", "HTTP",
                "--protocol-port", "80",
            ],
            complete: false),
        // The load balancer is PENDING_UPDATE until the worker finishes the first listener: Octavia's 409.
        Step(
            name: "05-listener-create-409",
            arguments: [
                "listener-create", "--name", "test-lb-https", "--loadbalancer", "test-lb", "--protocol", "HTTPS",
                "--protocol-port", "443",
            ]),
        Step(
            name: "06-pool-create",
            arguments: [
                "pool-create", "--name", "test-lb-pool-http", "--lb-algorithm", "ROUND_ROBIN", "--listener",
                "test-lb-http", "--protocol", "HTTP",
            ]),
        Step(
            name: "07-member-create",
            arguments: [
                "member-create", "--name", "web1", "--subnet", "private-subnet", "--address", "198.51.100.16",
                "--protocol-port", "80", "test-lb-pool-http",
            ]),
        Step(
            name: "08-member-create",
            arguments: [
                "member-create", "--name", "web2", "--subnet", "private-subnet", "--address", "198.51.100.17",
                "--protocol-port", "80", "test-lb-pool-http",
            ]),
        Step(
            name: "09-healthmonitor-create",
            arguments: [
                "healthmonitor-create", "--name", "test-lb-http-monitor", "--delay", "5", "--max-retries", "2",
                "--timeout", "10", "--type", "HTTP", "--pool", "test-lb-pool-http",
            ]),
        Step(name: "10-loadbalancer-stats", arguments: ["loadbalancer-stats", "test-lb"]),
        Step(name: "11-loadbalancer-status", arguments: ["loadbalancer-status", "test-lb"]),
        Step(
            name: "12-quota-update",
            arguments: ["quota-update", "--tenant-id", "project-a", "--loadbalancer", "20", "--pool", "20"],
            admin: true),
        Step(name: "13-quota-show", arguments: ["quota-show", "--tenant-id", "project-a"]),
        Step(name: "14-loadbalancer-show-json", arguments: ["loadbalancer-show", "test-lb", "-f", "json"]),
        Step(name: "15-loadbalancer-show-404", arguments: ["loadbalancer-show", "no-such-lb"]),
    ]

    /// The transcript file of one step: the command line, stdout verbatim, then stderr and a non-zero exit status.
    static func transcript(_ step: Step, _ result: VerbTranscript) -> String {
        var text = "$ fulcrum " + step.arguments.joined(separator: " ") + "\n" + result.standardOutput
        if !result.standardError.isEmpty { text += "--- stderr\n" + result.standardError }
        if result.status != 0 { text += "--- exit status \(result.status)\n" }
        return text
    }

    @Test("each step's output equals its golden file after normalising UUIDs, timestamps and the port")
    func walkthroughMatchesGoldenFiles() async throws {
        let harness = try await APIHarness()
        try await harness.live { url in
            var volatile = VolatileText(serverURL: url)
            var golden = GoldenFiles(suite: "CLI")
            for step in Self.walkthrough {
                let token = step.admin ? APIHarness.adminToken : APIHarness.memberA
                let parsed = try FulcrumCommand.parseAsRoot(step.arguments)
                let verb = try #require(parsed as? any ClientVerb, "\(step.arguments[0]) is not an API verb")
                let result = try await verb.transcript(environment: ["FULCRUM_URL": url, "FULCRUM_TOKEN": token])
                try golden.check(volatile.normalise(Self.transcript(step, result)), name: step.name + ".txt")
                if step.complete { try await harness.fixture.completeAll() }
                // Objects made in later steps sort after earlier ones (lists order by created_at, then id).
                harness.fixture.clock.advance(by: .seconds(1))
            }
            try golden.checkNoneLeftOver()
        }
    }

    @Test("a failing call prints `fulcrum: <status>: <faultstring>` on stderr only and exits 1")
    func failureTranscript() async throws {
        let harness = try await APIHarness()
        try await harness.live { url in
            let verb = try LoadBalancerShow.parse(["missing"])
            let result = try await verb.transcript(environment: ["FULCRUM_URL": url, "FULCRUM_TOKEN": "wrong"])
            #expect(result.standardOutput.isEmpty)
            #expect(result.standardError.hasPrefix("fulcrum: 401: "))
            #expect(result.standardError.hasSuffix("\n"))
            #expect(result.status == 1)
        }
    }

    @Test("the quota verbs take the project as --tenant-id (the seed's flag), --project or the last argument")
    func quotaProject() throws {
        #expect(try QuotaShow.parse(["--tenant-id", "p1"]).project.id == "p1")
        #expect(try QuotaShow.parse(["--project", "p2"]).project.id == "p2")
        #expect(try QuotaUpdate.parse(["--pool", "3", "p3"]).project.id == "p3")
        #expect(throws: (any Error).self) { try QuotaShow.parse([]) }
        #expect(throws: (any Error).self) { try QuotaUpdate.parse(["--tenant-id", "a", "b"]) }
    }

    @Test("the normaliser keeps table widths and numbers each UUID once, in order of first appearance")
    func normaliser() {
        var volatile = VolatileText(serverURL: "http://127.0.0.1:41234")
        let text = """
            | id | 6F1B0D2E-93A4-4C55-8E0B-1234567890AB | 2026-11-27T10:00:00 |
            | lb | 0a1b2c3d-0000-4000-8000-ffffffffffff | http://127.0.0.1:41234/v2 |
            | id | 6f1b0d2e-93a4-4c55-8e0b-1234567890ab |
            """
        let normalised = volatile.normalise(text)
        #expect(
            normalised == """
                | id | 00000000-0000-4000-8000-000000000001 | YYYY-MM-DDThh:mm:ss |
                | lb | 00000000-0000-4000-8000-000000000002 | http://127.0.0.1:PORT/v2 |
                | id | 00000000-0000-4000-8000-000000000001 |
                """)
    }

    @Test("the diff shows changed lines and trailing whitespace")
    func diff() {
        #expect(GoldenFiles.diff("a\nb \nc\n", "a\nb\nc\nd\n") == "  a⏎\n- b·⏎\n+ b⏎\n  c⏎\n+ d⏎\n  ⏎")
    }
}
