import Foundation
import FulcrumAgent
import Testing

/// The real actuator against stand-in `ip` and `arping` scripts that print what busybox prints (no host
/// networking is touched).
@Suite("ip/arping actuator", .timeLimit(.minutes(1)))
struct IPCommandActuatorTests {
    let vip = VIPAssignment(address: "198.51.100.10", prefixLength: 24, interface: "eth1")

    /// A directory with a script per behaviour; each appends its arguments to `calls`.
    struct FakeTools {
        let directory: String

        init() throws {
            directory = NSTemporaryDirectory() + "fulcrum-ip-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let behaviours = [
                "ok": "exit 0",
                "exists": "echo 'ip: RTNETLINK answers: File exists' >&2; exit 2",
                "absent": "echo 'ip: RTNETLINK answers: Cannot assign requested address' >&2; exit 2",
                "broken": "echo 'ip: can'\\''t find device eth1' >&2; exit 1",
            ]
            for (name, body) in behaviours {
                let path = "\(directory)/\(name)"
                try "#!/bin/sh\necho \"$@\" >> '\(directory)/calls'\n\(body)\n".write(
                    toFile: path, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            }
        }

        func actuator(ip: String, arping: String = "ok") -> IPCommandActuator {
            IPCommandActuator(configuration: .init(ipPath: "\(directory)/\(ip)", arpingPath: "\(directory)/\(arping)"))
        }

        var calls: [String] {
            ((try? String(contentsOfFile: "\(directory)/calls", encoding: .utf8)) ?? "").split(separator: "\n")
                .map(String.init)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    @Test("runs busybox's ip and arping with the documented arguments")
    func arguments() async throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        let actuator = tools.actuator(ip: "ok")
        try await actuator.addVIP(vip)
        try await actuator.removeVIP(vip)
        try await actuator.sendGratuitousARP(vip)
        #expect(
            tools.calls == [
                "addr add 198.51.100.10/24 dev eth1", "addr del 198.51.100.10/24 dev eth1",
                "-U -c 1 -I eth1 198.51.100.10",
            ])
    }

    @Test("adding a present address and removing an absent one succeed; the opposite failures do not")
    func idempotent() async throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        try await tools.actuator(ip: "exists").addVIP(vip)
        try await tools.actuator(ip: "absent").removeVIP(vip)
        await #expect(throws: AgentError.self) { try await tools.actuator(ip: "absent").addVIP(vip) }
        await #expect(throws: AgentError.self) { try await tools.actuator(ip: "exists").removeVIP(vip) }
    }

    @Test("the command inherits no descriptor of the agent but stdio (NIO's sockets are not close-on-exec)")
    func noInheritedDescriptors() async throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        let leaky = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)  // like NIO's: no close-on-exec
        try #require(leaky > 2)
        defer { close(leaky) }
        let path = "\(tools.directory)/fdcheck"
        let script = "#!/bin/sh\n[ -e /proc/$$/fd/\(leaky) ] && echo inherited >> '\(tools.directory)/calls'\nexit 0\n"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        try await tools.actuator(ip: "fdcheck").addVIP(vip)
        #expect(tools.calls.isEmpty)
    }

    @Test("a tool that is still open for writing for a moment runs once it is closed (ETXTBSY is retried)")
    func busyTool() async throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        let writer = open("\(tools.directory)/ok", O_WRONLY | O_CLOEXEC)
        try #require(writer >= 0)
        // a thread of its own: under load the cooperative pool may be busy with blocked spawns for a while
        Thread.detachNewThread {
            usleep(60_000)
            close(writer)
        }
        try await tools.actuator(ip: "ok").addVIP(vip)
        #expect(tools.calls == ["addr add 198.51.100.10/24 dev eth1"])
    }

    @Test("a failing or missing command throws with its output")
    func failures() async throws {
        let tools = try FakeTools()
        defer { tools.remove() }
        let error = await #expect(throws: AgentError.self) { try await tools.actuator(ip: "broken").addVIP(vip) }
        #expect(error?.description.contains("can't find device eth1") == true)
        await #expect(throws: AgentError.self) { try await tools.actuator(ip: "missing").addVIP(vip) }
        await #expect(throws: AgentError.self) {
            try await tools.actuator(ip: "ok", arping: "broken").sendGratuitousARP(vip)
        }
    }
}
