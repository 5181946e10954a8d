import FulcrumCertificates
import FulcrumController
import FulcrumDrivers
import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import Logging
import Prometheus
import ServiceLifecycleTestKit
import Testing

/// The worker's metrics as `fulcrum-worker` wires them (one registry, swift-metrics factories handed down), with
/// a real TaskWorker over the SQLite queue and the compute and agent stand-ins.
@Suite("Worker metrics")
struct WorkerMetricsTests {
    @Test("attempts, outcomes, dead-letters, flow durations, VM boot time and queue depth move as tasks run")
    func countersMove() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        try await fixture.store.syncSubnets([StoreFixture.privateSubnet, LoadBalancerFlowTests.management])
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let queueMetrics = QueueMetrics(factory: factory, kinds: Flows.kinds)
        let flowMetrics = FlowMetrics(factory: factory, flows: Flows.kinds)
        let environment = try Self.environment(fixture, agents: RecordingAmphoraDriver(), metrics: flowMetrics)
        let logger = Logger(label: "test")
        let worker = TaskWorker(
            queue: fixture.store.queue,
            handler: FlowDispatcher(builders: Flows.builders(environment), logger: logger, metrics: flowMetrics),
            configuration: .init(owner: "test", concurrency: 2, pollInterval: .milliseconds(5)),
            metrics: queueMetrics, logger: logger)
        let sampler = QueueDepthSampler(
            queue: fixture.store.queue, metrics: queueMetrics, interval: .seconds(1), clock: fixture.clock,
            logger: logger)

        let lb = LoadBalancer(id: "lb-1", projectID: fixture.project, vipSubnetID: "private-subnet")
        _ = try await fixture.store.create(
            .loadBalancer(lb), options: .init(), task: TaskRequest(kind: "loadbalancer.create"))
        _ = try await fixture.store.queue.enqueue(TaskRequest(kind: "no.such.kind"))
        fixture.clock.advance(by: .seconds(7))
        await sampler.sample()
        let queued = try Self.parse(registry)
        #expect(queued.value("fulcrum_queue_tasks", ["state": "queued"]) == 2)
        #expect(queued.value("fulcrum_queue_tasks", ["state": "dead"]) == 0)
        #expect(queued.value("fulcrum_queue_oldest_queued_age_seconds") == 7)

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await worker.run() }
                let deadline = ContinuousClock.now + .seconds(20)
                while ContinuousClock.now < deadline {
                    let counts = try await fixture.store.queue.counts()
                    if counts[.done] == 1 && counts[.dead] == 1 { break }
                    try await Task.sleep(for: .milliseconds(10))
                }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        await sampler.sample()

        let metrics = try Self.parse(registry)
        let create = ["kind": "loadbalancer.create"]
        let other = ["kind": QueueMetrics.otherKind]
        #expect(metrics.value("fulcrum_task_attempts_total", create) == 1)
        #expect(metrics.value("fulcrum_task_completions_total", create) == 1)
        #expect(metrics.value("fulcrum_task_failures_total", create) == 0)
        #expect(metrics.value("fulcrum_task_attempts_total", other) == 1, "an unknown kind is not a label value")
        #expect(metrics.value("fulcrum_task_failures_total", other) == 1)
        #expect(metrics.value("fulcrum_task_dead_letters_total", other) == 1)
        #expect(metrics.family("fulcrum_task_attempts_total")?.samples.count == Flows.kinds.count + 1)
        #expect(
            metrics.value(
                "fulcrum_flow_duration_seconds_count", ["flow": "loadbalancer.create", "outcome": "succeeded"]) == 1)
        #expect(
            metrics.value("fulcrum_flow_duration_seconds_count", ["flow": "loadbalancer.create", "outcome": "failed"])
                == 0)
        #expect(metrics.value("fulcrum_amphora_boot_duration_seconds_count") == 1)
        #expect(metrics.value("fulcrum_amphora_boot_failures_total") == 0)
        #expect(metrics.value("fulcrum_queue_tasks", ["state": "queued"]) == 0)
        #expect(metrics.value("fulcrum_queue_tasks", ["state": "dead"]) == 1)
        #expect(metrics.value("fulcrum_queue_oldest_queued_age_seconds") == 0)
    }

    @Test("an agent that never answers counts a boot failure and a failed flow")
    func bootFailure() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        try await fixture.store.syncSubnets([StoreFixture.privateSubnet, LoadBalancerFlowTests.management])
        let registry = PrometheusCollectorRegistry()
        let flowMetrics = FlowMetrics(factory: PrometheusMetricsFactory(registry: registry), flows: Flows.kinds)
        let agents = RecordingAmphoraDriver()
        await agents.setUnreachable("amp-0001")
        let environment = try Self.environment(fixture, agents: agents, metrics: flowMetrics)
        let dispatcher = FlowDispatcher(
            builders: Flows.builders(environment), logger: Logger(label: "test"), metrics: flowMetrics)
        let lb = LoadBalancer(id: "lb-1", projectID: fixture.project, vipSubnetID: "private-subnet")
        _ = try await fixture.store.create(
            .loadBalancer(lb), options: .init(), task: TaskRequest(kind: "loadbalancer.create"))
        let claimed = try #require(try await fixture.store.queue.claim(owner: "w"))
        await #expect(throws: (any Error).self) { _ = try await dispatcher.handle(claimed) }
        let metrics = try Self.parse(registry)
        #expect(metrics.value("fulcrum_amphora_boot_failures_total") == 1)
        #expect(metrics.value("fulcrum_amphora_boot_duration_seconds_count") == 0)
        #expect(
            metrics.value("fulcrum_flow_duration_seconds_count", ["flow": "loadbalancer.create", "outcome": "failed"])
                == 1)
    }

    @Test("Flows.kinds, the bounded label values, are exactly the kinds the builders handle")
    func kindsMatchBuilders() async throws {
        let fixture = try await StoreFixture()
        defer { fixture.directory.remove() }
        let environment = try Self.environment(fixture, agents: RecordingAmphoraDriver(), metrics: .disabled)
        #expect(Set(Flows.builders(environment).keys) == Set(Flows.kinds))
        #expect(Flows.kinds.count == Set(Flows.kinds).count)
    }

    /// The flows' environment over `fixture` with the compute stand-in, `agents` and `metrics`.
    static func environment(
        _ fixture: StoreFixture, agents: RecordingAmphoraDriver, metrics: FlowMetrics
    ) throws -> WorkerEnvironment {
        WorkerEnvironment(
            store: fixture.store, compute: MemoryComputeDriver(), agents: agents,
            certificates: try LocalCertificateAuthority.loadOrCreate(directory: fixture.directory.path + "/ca"),
            ids: SequentialIDs(prefix: "amp"), clock: fixture.clock,
            settings: .init(
                image: AmphoraImage(kernelPath: "/images/vmlinuz", initrdPath: "/images/initrd.img"),
                managementSubnet: "mgmt-subnet", managementBridge: "fulcrum-mgmt", controllers: ["203.0.113.1:5555"],
                heartbeatKey: "the-deployment-heartbeat-key", agentWaitAttempts: 2, agentWaitInterval: .milliseconds(1)),
            metrics: metrics)
    }

    static func parse(_ registry: PrometheusCollectorRegistry) throws -> PrometheusText {
        try PrometheusText(parsing: String(decoding: registry.emitToBuffer(), as: UTF8.self))
    }
}
