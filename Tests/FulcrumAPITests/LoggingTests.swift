import FulcrumAPITypes
import FulcrumTestSupport
import Logging
import Synchronization
import Testing

/// Collects every log record's message and metadata as text.
final class CapturedLogs: Sendable {
    let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func logger() -> Logger {
        var logger = Logger(label: "capture") { _ in CapturingHandler(sink: self) }
        logger.logLevel = .trace
        return logger
    }
}

struct CapturingHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let line = "\(event.message) \(merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))"
        sink.lines.withLock { $0.append(line) }
    }
}

@Suite("Logging")
struct LoggingTests {
    @Test("requests are logged with method, path and status, and no token ever appears in the logs")
    func noTokensInLogs() async throws {
        let logs = CapturedLogs()
        let harness = try await APIHarness()
        try await harness.run(logger: logs.logger()) { api in
            _ = try await api.createLoadBalancer()
            _ = try await api.get("/v2/lbaas/loadbalancers?limit=1", token: APIHarness.adminToken)
            _ = try await api.get("/v2/lbaas/loadbalancers", token: "secret-wrong-token")
            _ = try await api.post("/v2/lbaas/loadbalancers", "{broken", token: APIHarness.observerA)
        }
        let lines = logs.all
        #expect(lines.contains { $0.contains("request handled") && $0.contains("http.status=201") })
        #expect(lines.contains { $0.contains("http.status=401") })
        for secret in [APIHarness.memberA, APIHarness.adminToken, "secret-wrong-token", APIHarness.observerA] {
            #expect(!lines.contains { $0.contains(secret) }, "\(secret) leaked into the logs")
        }
    }
}
