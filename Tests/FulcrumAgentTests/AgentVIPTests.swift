import Foundation
import FulcrumAgent
import FulcrumWire
import Logging
import Testing

@Suite("Agent VIP ownership wiring", .timeLimit(.minutes(1)))
struct AgentVIPTests {
    static func file(_ amphora: AmphoraConfig) -> AgentConfigFile {
        AgentConfigFile(
            agent: AgentSettings(controllers: [], heartbeatIntervalMs: 100, heartbeatKey: "k"), amphora: amphora)
    }

    static func config(generation: UInt64, priority: Int = 100, peers: [String] = ["127.0.0.9"]) -> AmphoraConfig {
        AmphoraConfig(
            generation: generation, amphoraId: "amp-m", role: .master, priority: priority, peers: peers,
            vip: "127.0.0.100",
            vrrp: VRRPConfig(
                interface: "lo", address: "127.0.0.8", port: 15_557, advertIntervalMs: 200, vipPrefixLength: 32,
                authKey: "k"))
    }

    @Test("a MASTER agent takes the VIP; a new priority and peer list keep it; STANDALONE releases it")
    func lifecycle() async throws {
        let actuator = RecordingVIPActuator()
        let agent = AmphoraAgent(
            file: Self.file(Self.config(generation: 1)), logger: Logger(label: "test"), vipActuator: actuator)
        try await withThrowingTaskGroup { group in
            group.addTask { try await agent.run() }
            #expect(try await OwnerRunner.eventually { agent.vrrpStatus?.state == .master })
            #expect(actuator.holds("127.0.0.100"))

            try await agent.apply(Self.config(generation: 2, priority: 90, peers: ["127.0.0.10"]))
            let sent = agent.vrrpStatus?.advertsSent ?? 0
            #expect(try await OwnerRunner.eventually { (agent.vrrpStatus?.advertsSent ?? 0) >= sent + 3 })
            #expect(agent.vrrpStatus?.state == .master)
            #expect(actuator.calls.filter { $0 == .add("127.0.0.100") || $0 == .remove("127.0.0.100") }.count == 2)

            var standalone = Self.config(generation: 3)
            standalone.role = .standalone
            try await agent.apply(standalone)
            #expect(try await OwnerRunner.eventually { agent.vrrpStatus == nil })
            #expect(!actuator.holds("127.0.0.100"))
            group.cancelAll()
        }
    }

    @Test(
        "unusable VRRP blocks are refused before anything is applied",
        arguments: [
            { $0.vrrp?.address = "eth1" },
            { $0.vrrp?.address = "2001:db8::1" },
            { $0.vip = "not-an-ip" },
            { $0.peers = ["127.0.0.8"] },
            { $0.priority = 0 },
            { $0.priority = 256 },
            { $0.vrrp?.advertIntervalMs = 100 },
            { $0.vrrp?.advertIntervalMs = 10_001 },
            { $0.vrrp?.vipPrefixLength = 33 },
            { $0.vrrp?.authKey = "" },
            { $0.vrrp?.port = 0 },
            { $0.vrrp?.garpCount = -1 },
            { $0.vrrp?.interface = "eth1; reboot" },
        ] as [@Sendable (inout AmphoraConfig) -> Void])
    func invalid(change: @Sendable (inout AmphoraConfig) -> Void) throws {
        var config = Self.config(generation: 1)
        change(&config)
        #expect(throws: AgentError.self) { try VIPOwner.Settings(config) }
        let bytes = try WireJSON.encode(Self.file(config))
        #expect(throws: AgentError.self) { try AgentConfigFile.parse(bytes) }
    }

    @Test("STANDALONE, or MASTER without a vrrp block, runs no owner")
    func noOwner() throws {
        var config = Self.config(generation: 1)
        config.role = .standalone
        #expect(try VIPOwner.Settings(config) == nil)
        config.role = .backup
        config.vrrp = nil
        #expect(try VIPOwner.Settings(config) == nil)
        #expect(try VIPOwner.Settings(Self.config(generation: 1)) != nil)
    }
}

@Suite("ACTIVE_STANDBY sample agent file")
struct ActiveStandbySampleTests {
    @Test("etc/amphora-agent.active-standby.sample.json parses into usable VIP owner settings")
    func sample() throws {
        let path = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "etc/amphora-agent.active-standby.sample.json")
        let file = try AgentConfigFile.parse(Array(try Data(contentsOf: path)))
        let settings = try #require(try VIPOwner.Settings(file.amphora))
        #expect(settings.vip == VIPAssignment(address: "198.51.100.100", prefixLength: 24, interface: "eth1"))
        #expect(settings.machine.priority == 100 && settings.machine.peers == [VRRPAddress("198.51.100.12")!])
        #expect(file.agent.ipPath == "/bin/ip")
    }
}
