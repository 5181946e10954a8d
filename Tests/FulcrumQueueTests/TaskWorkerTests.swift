import Foundation
import FulcrumModel
import FulcrumQueue
import FulcrumTestSupport
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// A handler that records concurrency and can be held at a gate.
final class ProbeHandler: TaskHandler {
    private let state = Mutex((running: 0, peak: 0, handled: [Int64]()))
    let delay: Duration
    let failKinds: Set<String>

    init(delay: Duration, failKinds: Set<String> = []) {
        self.delay = delay
        self.failKinds = failKinds
    }

    var peak: Int { state.withLock { $0.peak } }
    var handled: [Int64] { state.withLock { $0.handled } }

    func handle(_ task: ClaimedTask) async throws -> [StatusChange] {
        state.withLock { value in
            value.running += 1
            value.peak = max(value.peak, value.running)
        }
        defer { state.withLock { $0.running -= 1 } }
        try await Task.sleep(for: delay)
        if failKinds.contains(task.task.kind) { throw PermanentTaskError("cannot do \(task.task.kind)") }
        state.withLock { $0.handled.append(task.task.id) }
        return [.operating(ResourceRef(.member, "m-\(task.task.id)"), .online)]
    }
}

@Suite("TaskWorker")
struct TaskWorkerTests {
    func waitUntil(_ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met in time")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test("runs up to N handlers at once and completes every task with its writes")
    func concurrency() async throws {
        let queue = MemoryTaskQueue()
        for _ in 0..<12 { _ = try await queue.enqueue(TaskRequest(kind: "work")) }
        _ = try await queue.enqueue(TaskRequest(kind: "broken"))
        let handler = ProbeHandler(delay: .milliseconds(50), failKinds: ["broken"])
        let worker = TaskWorker(
            queue: queue, handler: handler,
            configuration: .init(owner: "test", concurrency: 3, pollInterval: .milliseconds(5)),
            logger: Logger(label: "test"))
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await worker.run() }
                try await waitUntil {
                    let counts = await queue.counts()
                    return counts[.done] == 12 && counts[.dead] == 1
                }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(handler.peak == 3)
        #expect(Set(handler.handled).count == 12)
        #expect(await queue.appliedChanges.count == 12)
    }

    @Test("graceful shutdown stops claiming and lets in-flight tasks finish")
    func drain() async throws {
        let queue = MemoryTaskQueue()
        for _ in 0..<6 { _ = try await queue.enqueue(TaskRequest(kind: "slow")) }
        let handler = ProbeHandler(delay: .milliseconds(300))
        let worker = TaskWorker(
            queue: queue, handler: handler,
            configuration: .init(
                owner: "test", concurrency: 2, pollInterval: .milliseconds(5), drainTimeout: .seconds(5)),
            logger: Logger(label: "test"))
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await worker.run() }
                try await waitUntil { await queue.counts()[.running] == 2 }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        let counts = await queue.counts()
        #expect(counts[.done] == 2, "the two in-flight tasks finished")
        #expect(counts[.queued] == 4, "nothing new was claimed after shutdown began")
        #expect(counts[.running] == nil)
    }

    @Test("a drain that outlasts the timeout cancels in-flight work, which is retried later")
    func drainTimeout() async throws {
        let queue = MemoryTaskQueue()
        _ = try await queue.enqueue(TaskRequest(kind: "forever"))
        let handler = ProbeHandler(delay: .seconds(60))
        let worker = TaskWorker(
            queue: queue, handler: handler,
            configuration: .init(
                owner: "test", concurrency: 1, pollInterval: .milliseconds(5), drainTimeout: .milliseconds(100)),
            logger: Logger(label: "test"))
        let started = ContinuousClock.now
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await worker.run() }
                try await waitUntil { await queue.counts()[.running] == 1 }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        let counts = await queue.counts()
        #expect(counts[.failed] == 1, "the cancelled attempt is recorded as a retryable failure")
    }
}
