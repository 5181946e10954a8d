import FulcrumEngine
import FulcrumWire
import Testing

@Suite("TCP proxy on loopback", .timeLimit(.minutes(1)))
struct TCPProxyTests {
    @Test("connections rotate over members and bytes are spliced both ways")
    func roundRobinEcho() async throws {
        let a = try await TestBackend.start("a", mode: .tcp)
        let b = try await TestBackend.start("b", mode: .tcp)
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(protocol: .tcp, members: [a, b].map { EngineFixture.member($0) }))
        var names: [String] = []
        for i in 0..<4 {
            let (name, echo) = try await withConnection(port: port) { conn in
                let name = try await conn.readLine()
                try await conn.send("ping \(i)\n")
                return (name, try await conn.readLine())
            }
            names.append(name ?? "")
            #expect(echo == "ping \(i)")
        }
        #expect(names == ["a", "b", "a", "b"])
        await engine.shutdown()
        try await a.stop()
        try await b.stop()
    }

    @Test("half-close: the member's answer still arrives after the client shuts its output")
    func halfClose() async throws {
        let a = try await TestBackend.start("a", mode: .tcp)
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(protocol: .tcp, members: [EngineFixture.member(a)]))
        let text = try await withConnection(port: port) { conn in
            let first = try await conn.readLine() ?? ""
            try await conn.send("last words\n")
            conn.finish()
            let second = try await conn.readLine() ?? ""
            let end = try await conn.readToEnd()
            return [first, second, end]
        }
        #expect(text == ["a", "last words", ""])
        await engine.shutdown()
        try await a.stop()
    }

    @Test("connection_limit: the listener is FULL at the limit and refuses more")
    func connectionLimit() async throws {
        let a = try await TestBackend.start("a", mode: .tcp)
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(protocol: .tcp, members: [EngineFixture.member(a)], connectionLimit: 2))
        try await withConnection(port: port) { first in
            #expect(try await first.readLine() == "a")
            try await withConnection(port: port) { second in
                #expect(try await second.readLine() == "a")
                #expect(await engine.health().listeners["l1"] == "FULL")
                let third = try await withConnection(port: port) { try await $0.readLine() }
                #expect(third == nil)
            }
        }
        #expect(try await EngineFixture.eventually { await engine.health().listeners["l1"] == "OPEN" })
        let again = try await withConnection(port: port) { try await $0.readLine() }
        #expect(again == "a")
        await engine.shutdown()
        try await a.stop()
    }

    @Test("allowed_cidrs refuses sources outside the list; a new config opens it without a rebind")
    func allowedCidrs() async throws {
        let a = try await TestBackend.start("a", mode: .tcp)
        var config = EngineFixture.config(
            protocol: .tcp, members: [EngineFixture.member(a)], allowedCidrs: ["10.0.0.0/8"])
        let (engine, port) = try await EngineFixture.start(config)
        #expect(try await withConnection(port: port) { try await $0.readLine() } == nil)
        config.generation = 2
        config.listeners[0].allowedCidrs = ["10.0.0.0/8", "127.0.0.0/8"]
        try await engine.apply(config)
        #expect(await engine.boundPort(listener: "l1") == port)
        #expect(try await withConnection(port: port) { try await $0.readLine() } == "a")
        await engine.shutdown()
        try await a.stop()
    }

    @Test("an established TCP connection survives applies that drain its member and then remove the listener")
    func establishedSurvivesApply() async throws {
        let a = try await TestBackend.start("a", mode: .tcp)
        let b = try await TestBackend.start("b", mode: .tcp)
        var config = EngineFixture.config(protocol: .tcp, members: [EngineFixture.member(a)])
        let (engine, port) = try await EngineFixture.start(config)
        try await withConnection(port: port) { conn in
            #expect(try await conn.readLine() == "a")
            config.generation = 2
            config.pools[0].members = [EngineFixture.member(b)]
            try await engine.apply(config)
            try await conn.send("still a\n")
            #expect(try await conn.readLine() == "still a")
            #expect(try await withConnection(port: port) { try await $0.readLine() } == "b")
            config.generation = 3
            config.listeners = []
            try await engine.apply(config)
            #expect(await engine.boundPort(listener: "l1") == nil)
            try await conn.send("and after removal\n")
            #expect(try await conn.readLine() == "and after removal")
        }
        await engine.shutdown()
        try await a.stop()
        try await b.stop()
    }
}
