import FulcrumEngine
import FulcrumWire
import NIOPosix
import Testing

@Suite("Engine serving check", .timeLimit(.minutes(1)))
struct EngineServingTests {
    @Test("serving while every listener (TCP and UDP) is bound; vacuously with none; not after shutdown")
    func isServing() async throws {
        let engine = Engine(group: MultiThreadedEventLoopGroup.singleton, configuration: EngineFixture.health)
        #expect(await engine.isServing)
        var config = EngineFixture.config(members: [])
        config.listeners.append(ListenerConfig(id: "u1", protocol: .udp, port: 0))
        try await engine.apply(config)
        #expect(await engine.boundPort(listener: "u1") != nil)
        #expect(await engine.isServing)
        await engine.shutdown()
        #expect(await !engine.isServing)
    }
}
