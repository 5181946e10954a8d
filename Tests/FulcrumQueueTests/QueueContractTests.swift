import Foundation
import FulcrumModel
import FulcrumQueue
import FulcrumTestSupport
import Testing

/// One contract, every queue implementation (STYLE rule 7).
@Suite("Task queue contract")
struct QueueContractTests {
    let configuration = QueueConfiguration(
        leaseDuration: .seconds(30), maxAttempts: 3, backoffBase: .seconds(2), backoffMax: .seconds(5))

    @Test("claims oldest first, one claimant per task, nothing when empty", arguments: QueueUnderTest.allCases)
    func claimOrder(kind: QueueUnderTest) async throws {
        let clock = ManualWallClock()
        let (queue, cleanup) = try kind.make(clock: clock, configuration: configuration)
        defer { cleanup() }
        let first = try await queue.enqueue(TaskRequest(kind: "a"))
        let second = try await queue.enqueue(TaskRequest(kind: "b"))
        #expect(try await queue.claim(owner: "w1")?.task.id == first)
        #expect(try await queue.claim(owner: "w2")?.task.id == second)
        #expect(try await queue.claim(owner: "w3") == nil)
    }

    @Test(
        "an expired lease makes the task claimable again and the old holder loses it",
        arguments: QueueUnderTest.allCases)
    func leaseExpiry(kind: QueueUnderTest) async throws {
        let clock = ManualWallClock()
        let (queue, cleanup) = try kind.make(clock: clock, configuration: configuration)
        defer { cleanup() }
        let id = try await queue.enqueue(TaskRequest(kind: "a"))
        let held = try #require(try await queue.claim(owner: "w1"))
        clock.advance(by: .seconds(29))
        #expect(try await queue.claim(owner: "w2") == nil, "still leased")
        let renewed = try await queue.renew(held.lease)
        clock.advance(by: .seconds(29))
        #expect(try await queue.claim(owner: "w2") == nil, "renewed lease still valid")
        clock.advance(by: .seconds(2))
        let stolen = try #require(try await queue.claim(owner: "w2"))
        #expect(stolen.task.id == id)
        #expect(stolen.lease.attempt == 2)
        await #expect(throws: QueueError.self) { try await queue.complete(renewed, changes: []) }
        try await queue.complete(stolen.lease, changes: [])
        #expect(try await queue.task(id: id)?.state == .done)
    }

    @Test(
        "failures back off exponentially, then dead-letter with the revert writes", arguments: QueueUnderTest.allCases)
    func retryAndDeadLetter(kind: QueueUnderTest) async throws {
        let clock = ManualWallClock()
        let (queue, cleanup) = try kind.make(clock: clock, configuration: configuration)
        defer { cleanup() }
        let revert: [StatusChange] = [.provisioning(ResourceRef(.loadBalancer, "lb-1"), .error)]
        let id = try await queue.enqueue(TaskRequest(kind: "a", onDead: revert))
        let start = clock.now()
        let attempt1 = try #require(try await queue.claim(owner: "w"))
        #expect(
            try await queue.fail(attempt1.lease, error: "boom", retryable: true)
                == .retry(at: start.addingTimeInterval(2)))
        #expect(try await queue.claim(owner: "w") == nil, "backing off")
        clock.advance(by: .seconds(2))
        let attempt2 = try #require(try await queue.claim(owner: "w"))
        #expect(
            try await queue.fail(attempt2.lease, error: "boom", retryable: true)
                == .retry(at: start.addingTimeInterval(6)))
        clock.advance(by: .seconds(4))
        let attempt3 = try #require(try await queue.claim(owner: "w"))
        #expect(attempt3.lease.attempt == 3)
        #expect(try await queue.fail(attempt3.lease, error: "boom", retryable: true) == .dead)
        let task = try #require(try await queue.task(id: id))
        #expect(task.state == .dead)
        #expect(task.lastError == "boom")
        if let memory = queue as? MemoryTaskQueue { #expect(await memory.appliedChanges == revert) }
    }

    @Test("a permanent failure dead-letters at once", arguments: QueueUnderTest.allCases)
    func permanentFailure(kind: QueueUnderTest) async throws {
        let clock = ManualWallClock()
        let (queue, cleanup) = try kind.make(clock: clock, configuration: configuration)
        defer { cleanup() }
        let id = try await queue.enqueue(TaskRequest(kind: "a"))
        let claimed = try #require(try await queue.claim(owner: "w"))
        #expect(try await queue.fail(claimed.lease, error: "bad input", retryable: false) == .dead)
        #expect(try await queue.task(id: id)?.state == .dead)
    }

    @Test(
        "a holder that dies on the last attempt gets the task dead-lettered, not re-run",
        arguments: QueueUnderTest.allCases)
    func expiredOnLastAttempt(kind: QueueUnderTest) async throws {
        let clock = ManualWallClock()
        let (queue, cleanup) = try kind.make(clock: clock, configuration: configuration)
        defer { cleanup() }
        let id = try await queue.enqueue(TaskRequest(kind: "a", maxAttempts: 1))
        _ = try #require(try await queue.claim(owner: "dies"))
        clock.advance(by: .seconds(31))
        #expect(try await queue.claim(owner: "w") == nil)
        #expect(try await queue.task(id: id)?.state == .dead)
    }

    @Test(
        "tasks of one load balancer run one at a time, in order; others are not blocked",
        arguments: QueueUnderTest.allCases)
    func perLoadBalancerOrder(kind: QueueUnderTest) async throws {
        let clock = ManualWallClock()
        let (queue, cleanup) = try kind.make(clock: clock, configuration: configuration)
        defer { cleanup() }
        let create = try await queue.enqueue(TaskRequest(kind: "lb.create", loadBalancerID: "lb-1"))
        let listener = try await queue.enqueue(TaskRequest(kind: "listener.create", loadBalancerID: "lb-1"))
        let other = try await queue.enqueue(TaskRequest(kind: "lb.create", loadBalancerID: "lb-2"))
        let first = try #require(try await queue.claim(owner: "w1"))
        #expect(first.task.id == create)
        #expect(try await queue.claim(owner: "w2")?.task.id == other, "lb-1's second task waits")
        #expect(try await queue.claim(owner: "w3") == nil)
        // A failed-and-waiting task still blocks the tasks behind it.
        _ = try await queue.fail(first.lease, error: "transient", retryable: true)
        #expect(try await queue.claim(owner: "w3") == nil)
        clock.advance(by: .seconds(2))
        let retry = try #require(try await queue.claim(owner: "w3"))
        #expect(retry.task.id == create)
        try await queue.complete(retry.lease, changes: [])
        #expect(try await queue.claim(owner: "w4")?.task.id == listener)
    }

    @Test("counts reflect states", arguments: QueueUnderTest.allCases)
    func counts(kind: QueueUnderTest) async throws {
        let clock = ManualWallClock()
        let (queue, cleanup) = try kind.make(clock: clock, configuration: configuration)
        defer { cleanup() }
        for _ in 0..<3 { _ = try await queue.enqueue(TaskRequest(kind: "a")) }
        let claimed = try #require(try await queue.claim(owner: "w"))
        try await queue.complete(claimed.lease, changes: [])
        _ = try await queue.claim(owner: "w")
        #expect(try await queue.counts() == [.done: 1, .running: 1, .queued: 1])
    }

    @Test(
        "the oldest queued task's enqueue time; claimed or failed tasks do not count",
        arguments: QueueUnderTest.allCases)
    func oldestQueued(kind: QueueUnderTest) async throws {
        let clock = ManualWallClock()
        let (queue, cleanup) = try kind.make(clock: clock, configuration: configuration)
        defer { cleanup() }
        #expect(try await queue.oldestQueuedAt() == nil)
        let first = clock.now()
        _ = try await queue.enqueue(TaskRequest(kind: "a"))
        clock.advance(by: .seconds(5))
        _ = try await queue.enqueue(TaskRequest(kind: "b"))
        #expect(try await queue.oldestQueuedAt() == first)
        let claimed = try #require(try await queue.claim(owner: "w"))
        #expect(try await queue.oldestQueuedAt() == first.addingTimeInterval(5))
        _ = try await queue.fail(claimed.lease, error: "boom", retryable: true)
        #expect(try await queue.oldestQueuedAt() == first.addingTimeInterval(5), "a failed task waits as failed")
        _ = try await queue.claim(owner: "w")
        #expect(try await queue.oldestQueuedAt() == nil)
    }

    @Test("backoff doubles from the base and is capped")
    func backoff() {
        #expect(configuration.backoff(afterAttempt: 1) == .seconds(2))
        #expect(configuration.backoff(afterAttempt: 2) == .seconds(4))
        #expect(configuration.backoff(afterAttempt: 3) == .seconds(5))
        #expect(configuration.backoff(afterAttempt: 40) == .seconds(5))
    }
}
