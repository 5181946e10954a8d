import FulcrumEngine
import FulcrumWire
import NIOCore
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Hitless reconfiguration and parser robustness", .timeLimit(.minutes(2)))
struct ReconfigurationTests {
    @Test("config changes under a bounded continuous load fail no request and keep established connections")
    func configChangeUnderLoad() async throws {
        let a = try await TestBackend.start("a")
        let b = try await TestBackend.start("b")
        let c = try await TestBackend.start("c")
        let initial = EngineFixture.config(members: [a, b].map { EngineFixture.member($0) })
        let (engine, port) = try await EngineFixture.start(initial)
        let results = LoadResults()
        try await withConnection(port: port) { established in
            #expect(try await established.get()?.status == 200)
            try await withThrowingDiscardingTaskGroup { group in
                for worker in 0..<4 {
                    group.addTask {
                        // bounded: 150 requests per worker, on keep-alive (even workers) or fresh connections
                        if worker % 2 == 0 {
                            try await withConnection(port: port) { conn in
                                for i in 0..<150 {
                                    let response = try await conn.get()
                                    if response?.status == 200 {
                                        results.served.add(1, ordering: .relaxed)
                                    } else {
                                        results.failures.withLock {
                                            $0.append("w\(worker) #\(i): \(String(describing: response?.status))")
                                        }
                                    }
                                }
                            }
                        } else {
                            for i in 0..<150 {
                                let response = try await fetch(port: port)
                                if response?.status == 200 {
                                    results.served.add(1, ordering: .relaxed)
                                } else {
                                    results.failures.withLock {
                                        $0.append("w\(worker) #\(i): \(String(describing: response?.status))")
                                    }
                                }
                            }
                        }
                    }
                }
                group.addTask {
                    var config = initial
                    let changes: [(inout AmphoraConfig) -> Void] = [
                        { $0.pools[0].members.append(EngineFixture.member(c)) },
                        { $0.pools[0].members[0].weight = 5 },
                        { $0.pools[0].members.removeFirst() },
                        { $0.pools[0].algorithm = .leastConnections },
                        { $0.listeners[0].insertHeaders = ["X-Forwarded-For": "true"] },
                        { $0.pools[0].members.append(EngineFixture.member(a)) },
                    ]
                    for (index, change) in changes.enumerated() {
                        try await Task.sleep(for: .milliseconds(30))
                        change(&config)
                        config.generation = UInt64(index + 2)
                        let result = try await engine.apply(config)
                        #expect(result.applied)
                    }
                }
            }
            #expect(try await established.get()?.status == 200)
        }
        #expect(results.failures.withLock { $0 } == [])
        #expect(results.served.load(ordering: .relaxed) == 600)
        #expect(await engine.boundPort(listener: "l1") == port)
        #expect(await engine.config?.generation == 7)
        // an older generation is refused, the same one is an idempotent no-op
        let config = try #require(await engine.config)
        var older = config
        older.generation = 3
        #expect(try await engine.apply(older).applied == false)
        #expect(try await engine.apply(config).applied == false)
        await engine.shutdown()
        for backend in [a, b, c] { try await backend.stop() }
    }

    @Test("2,000 random and mutated requests only ever get 200, 400 or a close, and the proxy survives")
    func parserRobustness() async throws {
        let a = try await TestBackend.start("a")
        let quick = ListenerTimeouts(clientDataMs: 1_000, memberConnectMs: 1_000, memberDataMs: 1_000)
        let (engine, port) = try await EngineFixture.start(
            EngineFixture.config(members: [EngineFixture.member(a)], timeouts: quick))
        let seeds: [[UInt8]] = [
            "GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\nAccept: */*\r\n\r\n",
            "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
            "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "GET /a?b=c HTTP/1.0\r\n\r\n",
        ].map { Array($0.utf8) }
        var random = SeededRandom(seed: 42)
        var outcomes: [String: Int] = [:]
        for round in 0..<2000 {
            var bytes = seeds[round % seeds.count]
            if round % 10 == 9 {
                bytes = (0..<Int.random(in: 1...200, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            } else {
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    guard !bytes.isEmpty else { break }
                    let at = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<4, using: &random) {
                    case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
                    case 1: bytes.insert(UInt8.random(in: 0...255, using: &random), at: at)
                    case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &random)))
                    default: bytes.insert(contentsOf: bytes[at...].prefix(16), at: at)
                    }
                }
            }
            let status = try await withConnection(port: port) { conn in
                try await conn.send(bytes: bytes)
                conn.finish()
                do {
                    return try await conn.readResponse()?.status
                } catch let error as IOError where error.errnoCode == ECONNRESET {
                    // the proxy closed with the client's unread bytes still queued: the kernel resets — a close
                    return nil
                }
            }
            let key = status.map(String.init) ?? "closed"
            outcomes[key, default: 0] += 1
        }
        #expect(Set(outcomes.keys).isSubset(of: ["200", "400", "closed"]), "\(outcomes)")
        #expect(outcomes["400", default: 0] > 100)
        #expect(try await fetch(port: port)?.status == 200)
        await engine.shutdown()
        try await a.stop()
    }
}

/// Outcomes of the load workers.
final class LoadResults: Sendable {
    let failures = Mutex<[String]>([])
    let served = Atomic<Int>(0)
}

/// A seeded generator so failures reproduce.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
