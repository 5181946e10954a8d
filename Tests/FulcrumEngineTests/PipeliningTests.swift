import FulcrumEngine
import FulcrumWire
import Synchronization
import Testing

@Suite("HTTP/1.1 pipelining on loopback", .timeLimit(.minutes(1)))
struct PipeliningTests {
    @Test("requests pipelined behind a slow one are answered in order, each by its own member")
    func inOrder() async throws {
        let a = try await TestBackend.start("a")
        let b = try await TestBackend.start("b")
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(members: [a, b].map { EngineFixture.member($0) }))
        let answers = try await withConnection(port: port) { conn in
            try await conn.send(
                "GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /1 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "POST /2 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhelloGET /3 HTTP/1.1\r\nHost: t\r\n\r\n")
            var answers: [String] = []
            for _ in 0..<4 {
                let response = try #require(try await conn.readResponse())
                answers.append("\(response.status) \(response.firstLine)")
            }
            return answers
        }
        #expect(answers == ["200 a", "200 b", "200 a", "200 b"])
        #expect(a.requests.load(ordering: .relaxed) + b.requests.load(ordering: .relaxed) == 4)
        await engine.shutdown()
        try await a.stop()
        try await b.stop()
    }

    @Test("a malformed request pipelined behind a valid one gets its 400 after that response, then a close")
    func parseErrorInOrder() async throws {
        let a = try await TestBackend.start("a")
        let (engine, port) = try await EngineFixture.start(EngineFixture.config(members: [EngineFixture.member(a)]))
        let (first, second, third) = try await withConnection(port: port) { conn in
            try await conn.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGARBAGE\u{01} / HTTP/9.9\r\n\r\n")
            return (
                try await conn.readResponse()?.status, try await conn.readResponse()?.status,
                try await conn.readResponse()?.status
            )
        }
        #expect(first == 200 && second == 400 && third == nil)
        #expect(try await EngineFixture.eventually { await engine.stats().listeners["l1"]?.requestErrors == 1 })
        await engine.shutdown()
        try await a.stop()
    }

    @Test("a client's half-close: the requests it completed are answered, then a close; an incomplete one gets 400")
    func halfClose() async throws {
        let a = try await TestBackend.start("a")
        let (engine, port) = try await EngineFixture.start(EngineFixture.config(members: [EngineFixture.member(a)]))
        let complete = try await withConnection(port: port) { conn in
            try await conn.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /2 HTTP/1.1\r\nHost: t\r\n\r\n")
            conn.finish()
            return [
                try await conn.readResponse()?.status, try await conn.readResponse()?.status,
                try await conn.readResponse()?.status,
            ]
        }
        #expect(complete == [200, 200, nil])
        // the client timeout is 50 s in this fixture: an answer within the test's minute comes from the half-close
        for incomplete in ["GET / HTTP/1.1\r\nHost: t\r\n", "POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc"] {
            let statuses = try await withConnection(port: port) { conn in
                try await conn.send(incomplete)
                conn.finish()
                return [try await conn.readResponse()?.status, try await conn.readResponse()?.status]
            }
            #expect(statuses == [400, nil], "\(incomplete.debugDescription)")
        }
        #expect(try await EngineFixture.eventually { await engine.stats().listeners["l1"]?.requestErrors == 2 })
        #expect(a.requests.load(ordering: .relaxed) == 2)
        await engine.shutdown()
        try await a.stop()
    }
}
