import Foundation
import FulcrumAgent
import FulcrumEngine
import FulcrumWire
import Logging
import NIOCore
import NIOPosix
import Testing

@Suite("Agent config file")
struct AgentConfigFileTests {
    @Test("parses with defaults and rejects a bad controller address or a negative drain timeout")
    func parse() throws {
        let json = #"""
            {"agent": {"controllers": ["127.0.0.1:5555", "[::1]:5556"], "heartbeat_key": "k"},
             "amphora": {"generation": 1, "amphora_id": "amp", "vip": "127.0.0.1"}}
            """#
        let file = try AgentConfigFile.parse(Array(json.utf8))
        #expect(file.agent.heartbeatIntervalMs == 10_000)
        #expect(file.agent.eventLoops == 1)
        #expect(file.agent.drainTimeoutMs == 30_000)
        #expect(file.amphora.amphoraId == "amp")
        let bad = json.replacing("127.0.0.1:5555", with: "127.0.0.1")
        #expect(throws: AgentError.self) { try AgentConfigFile.parse(Array(bad.utf8)) }
        let quick = json.replacing(#""heartbeat_key": "k""#, with: #""heartbeat_key": "k", "drain_timeout_ms": 500"#)
        #expect(try AgentConfigFile.parse(Array(quick.utf8)).agent.drainTimeoutMs == 500)
        let negative = quick.replacing("500", with: "-1")
        #expect(throws: AgentError.self) { try AgentConfigFile.parse(Array(negative.utf8)) }
    }
}

@Suite("Heartbeat composition")
struct HeartbeatComposerTests {
    @Test("v3 deltas, absolute conns, increasing seq, reset counters yield their current value")
    func deltas() {
        var composer = HeartbeatComposer(amphoraId: "amp", bootId: "boot")
        let first = composer.next(
            listeners: [
                "l": ("OPEN", TrafficStats(bytesIn: 100, bytesOut: 1000, activeConnections: 3, totalConnections: 5))
            ],
            pools: ["p:l": .init(status: "UP", members: ["m": "UP"])])
        #expect(first.seq == 0 && first.bootId == "boot" && first.ver == 3 && first.id == "amp")
        #expect(first.listeners["l"]?.stats == .init(rx: 100, tx: 1000, conns: 3, totconns: 5, ereq: 0))
        let second = composer.next(
            listeners: [
                "l": (
                    "FULL",
                    TrafficStats(
                        bytesIn: 150, bytesOut: 1000, activeConnections: 2, totalConnections: 9, requestErrors: 1)
                )
            ],
            pools: [:])
        #expect(second.seq == 1)
        #expect(second.listeners["l"]?.status == "FULL")
        #expect(second.listeners["l"]?.stats == .init(rx: 50, tx: 0, conns: 2, totconns: 4, ereq: 1))
        let reset = composer.next(
            listeners: ["l": ("OPEN", TrafficStats(bytesIn: 10, totalConnections: 1))], pools: [:])
        #expect(reset.listeners["l"]?.stats.rx == 10)
        #expect(reset.listeners["l"]?.stats.totconns == 1)
    }
}

@Suite("Agent end to end on loopback", .timeLimit(.minutes(1)))
struct AgentEndToEndTests {
    @Test("the agent serves its listener and sends authenticated v3 heartbeats with growing seq")
    func heartbeats() async throws {
        let receiver = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let controllerPort = try #require(receiver.channel.localAddress?.port)
        let file = AgentConfigFile(
            agent: AgentSettings(
                controllers: ["127.0.0.1:\(controllerPort)"], heartbeatIntervalMs: 100, heartbeatKey: "test-key",
                heartbeatBindHost: "127.0.0.1", listenerBindHost: "127.0.0.1"),
            amphora: AmphoraConfig(
                generation: 1, amphoraId: "amp-e2e", vip: "127.0.0.1",
                listeners: [ListenerConfig(id: "l1", protocol: .http, port: 0, defaultPoolId: "p1")],
                pools: [PoolConfig(id: "p1", protocol: .http)]))
        let agent = AmphoraAgent(file: file, logger: Logger(label: "test"), bootId: "boot-1")
        let codec = HeartbeatCodec(key: "test-key")
        try await withThrowingTaskGroup { group in
            group.addTask { try await agent.run() }
            try await receiver.executeThenClose { inbound, _ in
                var iterator = inbound.makeAsyncIterator()
                var messages: [HeartbeatMessage] = []
                var sawError = false
                var port: Int?
                for _ in 0..<60 {
                    guard let envelope = try await iterator.next() else { break }
                    let message = try codec.open(Array(envelope.data.readableBytesView))
                    messages.append(message)
                    if port == nil, let bound = await agent.engine.boundPort(listener: "l1") {
                        port = bound
                        // a pool without members answers 503, counted in ereq
                        let status = try await Self.requestStatus(port: bound)
                        #expect(status == 503)
                    }
                    if (message.listeners["l1"]?.stats.ereq ?? 0) > 0 { sawError = true }
                    if sawError, messages.count >= 3 { break }
                }
                #expect(sawError)
                #expect(messages.allSatisfy { $0.id == "amp-e2e" && $0.bootId == "boot-1" && $0.ver == 3 })
                #expect(messages.map(\.seq) == Array(0..<UInt64(messages.count)))
                #expect(messages.last?.pools["p1:l1"]?.status == "UP")
            }
            group.cancelAll()
        }
    }

    @Test("every applied config is written back to the config file (0600): a restarted agent starts from it")
    func appliedConfigSaved() async throws {
        let directory = NSTemporaryDirectory() + "fulcrum-agent-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/agent.json"
        var config = AmphoraConfig(
            generation: 1, amphoraId: "amp-saved", vip: "127.0.0.1",
            listeners: [ListenerConfig(id: "l1", protocol: .http, port: 0, defaultPoolId: "p1")],
            pools: [PoolConfig(id: "p1", protocol: .http)])
        let settings = AgentSettings(
            controllers: [], heartbeatKey: "test-key", heartbeatBindHost: "127.0.0.1", listenerBindHost: "127.0.0.1")
        let file = AgentConfigFile(agent: settings, amphora: config)
        try Data(try WireJSON.encode(file)).write(to: URL(fileURLWithPath: path))
        let agent = AmphoraAgent(file: file, logger: Logger(label: "test"), configFile: path)
        func saved() throws -> AgentConfigFile {
            try AgentConfigFile.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        try await agent.apply(config)
        #expect(try saved() == file, "the boot-time config is not rewritten")
        config.generation = 2
        config.listeners.append(ListenerConfig(id: "l2", protocol: .tcp, port: 0, defaultPoolId: "p1"))
        #expect(try await agent.apply(config).applied)
        #expect(try saved() == AgentConfigFile(agent: settings, amphora: config))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        // an older generation is refused by the engine and leaves the file alone
        var older = config
        older.generation = 1
        older.listeners = []
        #expect(try await agent.apply(older).applied == false)
        #expect(try saved().amphora.generation == 2)
        // what a restarted agent reads
        let restarted = AmphoraAgent(file: try saved(), logger: Logger(label: "test"), configFile: path)
        try await restarted.engine.apply(try saved().amphora)
        #expect(await restarted.engine.config?.listeners.map(\.id) == ["l1", "l2"])
        await restarted.engine.shutdown()
        await agent.engine.shutdown()
    }

    static func requestStatus(port: Int) async throws -> Int? {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"))
            var text = ""
            for try await chunk in inbound {
                text += String(buffer: chunk)
                if text.contains("\r\n") { break }
            }
            return text.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
    }
}
