import FulcrumEngine
import FulcrumWire
import Testing

@Suite("Session persistence on loopback", .timeLimit(.minutes(1)))
struct PersistenceTests {
    @Test("SOURCE_IP persistence keeps a client on its member under round robin, until that member leaves")
    func sourceIP() async throws {
        let a = try await TestBackend.start("a", mode: .tcp)
        let b = try await TestBackend.start("b", mode: .tcp)
        var config = EngineFixture.config(protocol: .tcp, members: [a, b].map { EngineFixture.member($0) })
        config.pools[0].sessionPersistence = SessionPersistence(type: .sourceIP)
        let (engine, port) = try await EngineFixture.start(config)
        var names: [String] = []
        for _ in 0..<6 { names.append(try await withConnection(port: port) { try await $0.readLine() } ?? "") }
        #expect(Set(names).count == 1)
        let first = names[0]
        config.generation = 2
        config.pools[0].members.removeAll { $0.id == first }
        try await engine.apply(config)
        let moved = try await withConnection(port: port) { try await $0.readLine() }
        #expect(moved != nil && moved != first)
        await engine.shutdown()
        try await a.stop()
        try await b.stop()
    }

    @Test("HTTP_COOKIE persistence sets SRV once and follows it")
    func httpCookie() async throws {
        let a = try await TestBackend.start("a")
        let b = try await TestBackend.start("b")
        var config = EngineFixture.config(members: [a, b].map { EngineFixture.member($0) })
        config.pools[0].sessionPersistence = SessionPersistence(type: .httpCookie)
        let (engine, port) = try await EngineFixture.start(config)
        let first = try #require(try await fetch(port: port))
        let cookie = try #require(first.header("set-cookie"))
        #expect(cookie == "SRV=\(first.firstLine); path=/")
        for _ in 0..<4 {
            let again = try #require(try await fetch(port: port, headers: ["Cookie: x=1; SRV=\(first.firstLine)"]))
            #expect(again.firstLine == first.firstLine)
            #expect(again.header("set-cookie") == nil)
        }
        let other = first.firstLine == "a" ? "b" : "a"
        #expect(try await fetch(port: port, headers: ["Cookie: SRV=\(other)"])?.firstLine == other)
        await engine.shutdown()
        try await a.stop()
        try await b.stop()
    }

    @Test("APP_COOKIE persistence learns the member's session cookie and follows it")
    func appCookie() async throws {
        let a = try await TestBackend.start("a")
        let b = try await TestBackend.start("b")
        var config = EngineFixture.config(members: [a, b].map { EngineFixture.member($0) })
        config.pools[0].sessionPersistence = SessionPersistence(type: .appCookie, cookieName: "JSESSIONID")
        let (engine, port) = try await EngineFixture.start(config)
        let login = try #require(try await fetch(port: port, "/login"))
        let session = try #require(login.header("set-cookie")?.split(separator: ";").first.map(String.init))
        #expect(session == "JSESSIONID=\(login.firstLine)-session")
        for _ in 0..<4 {
            #expect(try await fetch(port: port, headers: ["Cookie: \(session)"])?.firstLine == login.firstLine)
        }
        var anonymous: Set<String> = []
        for _ in 0..<4 { anonymous.insert(try await fetch(port: port)?.firstLine ?? "") }
        #expect(anonymous == ["a", "b"])
        await engine.shutdown()
        try await a.stop()
        try await b.stop()
    }
}
