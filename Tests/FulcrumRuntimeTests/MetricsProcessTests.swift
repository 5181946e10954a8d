import Foundation
import FulcrumTestSupport
import NIOCore
import NIOPosix
import Testing

/// `fulcrum-api` and `fulcrum-worker` as real processes: their metrics endpoints answer valid Prometheus text.
@Suite(
    "Metrics endpoints of the daemons",
    .enabled(if: BuiltExecutable.exists("fulcrum-api"), "build the executables first: swift build --build-tests")
)
struct MetricsProcessTests {
    /// Status and body of a GET with curl (status 0 when nothing answered).
    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let curl = try await ToolRun.run(
            "/usr/bin/curl", ["-sS", "--max-time", "5", "-o", "-", "-w", "\n%{http_code}", url], timeout: .seconds(10))
        let text = curl.output
        guard let newline = text.lastIndex(of: "\n") else { return (0, "") }
        return (Int(text[text.index(after: newline)...]) ?? 0, String(text[..<newline]))
    }

    /// A TCP port that was free a moment ago (the API's port must be given; it cannot be 0).
    static func freePort() async throws -> Int {
        try await LoopbackPort.free()
    }

    /// The port in the first stderr line `<message> … address=127.0.0.1:<port>`.
    static func port(after message: String, in log: String) -> Int? {
        for line in log.split(separator: "\n") where line.contains(message) {
            if let range = line.range(of: #"address=127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                return Int(line[range].split(separator: ":").last ?? "")
            }
        }
        return nil
    }

    /// A migrated database and a config file with `extra` appended; returns the config path.
    static func prepare(_ directory: TemporaryDirectory, _ extra: String) async throws -> String {
        let config = try directory.write(
            "fulcrum.yaml",
            "database:\n  path: \(directory.file("fulcrum.db"))\namphora:\n  state_dir: \(directory.file("state"))\n"
                + extra)
        let upgrade = try ChildProcess(
            executable: "fulcrum", arguments: ["db", "upgrade", "--config", config], in: directory)
        #expect(await upgrade.exitStatus(within: .seconds(10)) == 0)
        return config
    }

    @Test("fulcrum-api counts its requests at api.metrics_address")
    func api() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let apiPort = try await Self.freePort()
        let config = try await Self.prepare(
            directory,
            "api:\n  port: \(apiPort)\n  metrics_address: \"127.0.0.1:0\"\nauth:\n  strategy: noauth\n")
        let api = try ChildProcess(executable: "fulcrum-api", arguments: ["--config", config], in: directory)
        #expect(
            await api.waitForStandardError(containing: "serving metrics", within: .seconds(15)), "\(api.standardError)")
        let metricsPort = try #require(Self.port(after: "serving metrics", in: api.standardError))
        var status = 0
        for _ in 0..<300 where status != 200 {  // up to 30 s: the whole suite runs in parallel on 2 cores
            status = try await Self.get("http://127.0.0.1:\(apiPort)/v2/lbaas/loadbalancers").status
            if status != 200 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(status == 200, "\(api.standardError)")
        #expect(try await Self.get("http://127.0.0.1:\(apiPort)/v2/lbaas/loadbalancers").status == 200)
        #expect(try await Self.get("http://127.0.0.1:\(apiPort)/v2/lbaas/pools/p-1").status == 404)

        let scrape = try await Self.get("http://127.0.0.1:\(metricsPort)/metrics")
        #expect(scrape.status == 200)
        let metrics = try PrometheusText(parsing: scrape.body)
        let list = ["route": "/v2/lbaas/loadbalancers", "method": "GET", "status": "200"]
        #expect((metrics.value("fulcrum_api_requests_total", list) ?? 0) >= 2, "\(scrape.body)")
        #expect(
            metrics.value(
                "fulcrum_api_requests_total", ["route": "/v2/lbaas/pools/{id}", "method": "GET", "status": "404"]) == 1)
        #expect(try await Self.get("http://127.0.0.1:\(metricsPort)/other").status == 404)
        api.signal(SIGTERM)
        #expect(await api.exitStatus(within: .seconds(60)) == 0)
    }

    @Test("fulcrum-worker serves queue depth and task metrics at worker.metrics_address")
    func worker() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try await Self.prepare(
            directory, "worker:\n  metrics_address: \"127.0.0.1:0\"\n  queue_sample_interval_seconds: 1\n")
        let worker = try ChildProcess(executable: "fulcrum-worker", arguments: ["--config", config], in: directory)
        #expect(
            await worker.waitForStandardError(containing: "serving metrics", within: .seconds(15)),
            "\(worker.standardError)")
        let metricsPort = try #require(Self.port(after: "serving metrics", in: worker.standardError))
        let scrape = try await Self.get("http://127.0.0.1:\(metricsPort)/metrics")
        #expect(scrape.status == 200)
        let metrics = try PrometheusText(parsing: scrape.body)
        #expect(metrics.value("fulcrum_task_attempts_total", ["kind": "loadbalancer.create"]) == 0, "\(scrape.body)")
        #expect(metrics.family("fulcrum_flow_duration_seconds")?.type == "histogram")
        #expect(metrics.family("fulcrum_amphora_boot_duration_seconds")?.type == "histogram")
        worker.signal(SIGTERM)
        #expect(await worker.exitStatus(within: .seconds(60)) == 0)
    }
}
