import FulcrumEngine
import FulcrumWire
import Synchronization
import Testing

@Suite("HTTP proxy on loopback", .timeLimit(.minutes(1)))
struct HTTPProxyTests {
    @Test("round robin answers members in exact order over one keep-alive connection")
    func roundRobinOrder() async throws {
        let a = try await TestBackend.start("a")
        let b = try await TestBackend.start("b")
        let c = try await TestBackend.start("c")
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(members: [a, b, c].map { EngineFixture.member($0) }))
        let names = try await withConnection(port: port) { conn in
            var names: [String] = []
            for _ in 0..<6 { names.append(try #require(try await conn.get()).firstLine) }
            return names
        }
        #expect(names == ["a", "b", "c", "a", "b", "c"])
        await engine.shutdown()
        for backend in [a, b, c] { try await backend.stop() }
    }

    @Test("weights 3:1 give the smooth order a a b a")
    func weights() async throws {
        let a = try await TestBackend.start("a")
        let b = try await TestBackend.start("b")
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(members: [EngineFixture.member(a, weight: 3), EngineFixture.member(b, weight: 1)]))
        var names: [String] = []
        for _ in 0..<8 { names.append(try #require(try await fetch(port: port)).firstLine) }
        #expect(names == ["a", "a", "b", "a", "a", "a", "b", "a"])
        await engine.shutdown()
        try await a.stop()
        try await b.stop()
    }

    @Test("least connections avoids the member busy with an unanswered request")
    func leastConnections() async throws {
        let a = try await TestBackend.start("a")
        let b = try await TestBackend.start("b")
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(algorithm: .leastConnections, members: [a, b].map { EngineFixture.member($0) }))
        try await withConnection(port: port) { held in
            // a request the member never answers keeps one connection busy on it
            try await held.send("GET /hang HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(
                try await EngineFixture.eventually {
                    a.requests.load(ordering: .relaxed) + b.requests.load(ordering: .relaxed) == 1
                })
            let busy = a.requests.load(ordering: .relaxed) == 1 ? "a" : "b"
            var fast: [String] = []
            for _ in 0..<5 { fast.append(try #require(try await fetch(port: port)).firstLine) }
            #expect(fast.count == 5)
            #expect(!fast.contains(busy))
        }
        await engine.shutdown()
        try await a.stop()
        try await b.stop()
    }

    @Test("source IP sends every connection of one client to one member")
    func sourceIP() async throws {
        let backends = [
            try await TestBackend.start("a"), try await TestBackend.start("b"), try await TestBackend.start("c"),
        ]
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(algorithm: .sourceIP, members: backends.map { EngineFixture.member($0) }))
        var names: Set<String> = []
        for _ in 0..<10 { names.insert(try #require(try await fetch(port: port)).firstLine) }
        #expect(names.count == 1)
        await engine.shutdown()
        for backend in backends { try await backend.stop() }
    }

    @Test("insert_headers add X-Forwarded-For/-Port/-Proto/-IP and X-Real-IP; disabled ones are absent")
    func insertHeaders() async throws {
        let a = try await TestBackend.start("a")
        let config = EngineFixture.config(
            members: [EngineFixture.member(a)],
            insertHeaders: [
                "X-Forwarded-For": "true", "X-Forwarded-Port": "true", "X-Forwarded-Proto": "true",
                "X-Real-IP": "true", "X-Client-IP": "false", "X-Forwarded-IP": "true",
            ])
        let (engine, port) = try await EngineFixture.start(config)
        let body = try #require(try await fetch(port: port)).body
        #expect(body.contains("x-forwarded-for: 127.0.0.1\n"))
        #expect(body.contains("x-forwarded-port: \(port)\n"))
        #expect(body.contains("x-forwarded-proto: http\n"))
        #expect(body.contains("x-real-ip: 127.0.0.1\n"))
        #expect(body.contains("x-forwarded-ip: 127.0.0.1\n"))
        #expect(!body.contains("x-client-ip"))
        await engine.shutdown()
        try await a.stop()
    }

    @Test("503 without an eligible member, 502 when connects fail, 504 when the member does not answer")
    func errorAnswers() async throws {
        let a = try await TestBackend.start("a")
        let deadPort = a.port
        try await a.stop()
        var config = EngineFixture.config(
            members: [MemberConfig(id: "m", address: "127.0.0.1", port: deadPort, weight: 0)])
        let (engine, port) = try await EngineFixture.start(config)
        #expect(try await fetch(port: port)?.status == 503)
        config.generation = 2
        config.pools[0].members[0].weight = 1
        try await engine.apply(config)
        #expect(try await fetch(port: port)?.status == 502)
        let hang = try await TestBackend.start("h")
        config.generation = 3
        config.pools[0].members = [EngineFixture.member(hang)]
        config.listeners[0].timeouts.memberDataMs = 300
        try await engine.apply(config)
        #expect(try await fetch(port: port, "/hang")?.status == 504)
        #expect(try await fetch(port: port)?.status == 200)
        let stats = await engine.stats()
        #expect(try #require(stats.listeners["l1"]).requestErrors >= 3)
        await engine.shutdown()
        try await hang.stop()
    }

    @Test("malformed requests get 400 and are counted as request errors")
    func badRequest() async throws {
        let a = try await TestBackend.start("a")
        let (engine, port) = try await EngineFixture.start(EngineFixture.config(members: [EngineFixture.member(a)]))
        let response = try await withConnection(port: port) { conn in
            try await conn.send("GARBAGE\u{01} / HTTP/9.9\r\n\r\n")
            return try await conn.readResponse()
        }
        #expect(response?.status == 400)
        #expect(try await EngineFixture.eventually { await engine.stats().listeners["l1"]?.requestErrors == 1 })
        #expect(a.requests.load(ordering: .relaxed) == 0)
        await engine.shutdown()
        try await a.stop()
    }

    @Test("a 2 MiB response streams through with back-pressure, twice on one keep-alive connection")
    func largeBody() async throws {
        let a = try await TestBackend.start("a")
        let (engine, port) = try await EngineFixture.start(EngineFixture.config(members: [EngineFixture.member(a)]))
        let sizes = try await withConnection(port: port) { conn in
            [try await conn.get("/big")?.body.utf8.count, try await conn.get("/big")?.body.utf8.count]
        }
        #expect(sizes == [2 * 1024 * 1024, 2 * 1024 * 1024])
        await engine.shutdown()
        try await a.stop()
    }

    @Test("L7 policies route to another pool, reject with 403 and redirect")
    func l7() async throws {
        let a = try await TestBackend.start("a")
        let b = try await TestBackend.start("b")
        var config = EngineFixture.config(members: [EngineFixture.member(a)])
        config.pools.append(PoolConfig(id: "p2", protocol: .http, members: [EngineFixture.member(b)]))
        config.listeners[0].l7Policies = [
            L7PolicyConfig(
                id: "to-b", action: .redirectToPool, position: 1, redirectPoolId: "p2",
                rules: [L7RuleConfig(id: "r1", type: .path, compareType: .startsWith, value: "/b/")]),
            L7PolicyConfig(
                id: "deny", action: .reject, position: 2,
                rules: [L7RuleConfig(id: "r2", type: .path, compareType: .equalTo, value: "/admin")]),
            L7PolicyConfig(
                id: "moved", action: .redirectToURL, position: 3, redirectUrl: "http://elsewhere.example/",
                rules: [L7RuleConfig(id: "r3", type: .path, compareType: .equalTo, value: "/old")]),
        ]
        let (engine, port) = try await EngineFixture.start(config)
        #expect(try await fetch(port: port, "/b/x")?.firstLine == "b")
        #expect(try await fetch(port: port, "/x")?.firstLine == "a")
        #expect(try await fetch(port: port, "/admin")?.status == 403)
        let moved = try #require(try await fetch(port: port, "/old"))
        #expect(moved.status == 302 && moved.header("location") == "http://elsewhere.example/")
        #expect(a.requests.load(ordering: .relaxed) == 1 && b.requests.load(ordering: .relaxed) == 1)
        await engine.shutdown()
        try await a.stop()
        try await b.stop()
    }

    @Test("stats count bytes and connections per listener and member")
    func stats() async throws {
        let a = try await TestBackend.start("a")
        let (engine, port) = try await EngineFixture.start(EngineFixture.config(members: [EngineFixture.member(a)]))
        for _ in 0..<3 { _ = try await fetch(port: port) }
        #expect(
            try await EngineFixture.eventually {
                let stats = await engine.stats()
                return stats.listeners["l1"]?.totalConnections == 3 && stats.listeners["l1"]?.activeConnections == 0
            })
        let stats = await engine.stats()
        let listener = try #require(stats.listeners["l1"])
        let member = try #require(stats.members["a"])
        #expect(listener.bytesIn > 3 * 30 && listener.bytesOut > 3 * 30)
        #expect(member.totalConnections == 3)
        #expect(member.bytesIn > 0 && member.bytesOut > 0)
        await engine.shutdown()
        try await a.stop()
    }
}
