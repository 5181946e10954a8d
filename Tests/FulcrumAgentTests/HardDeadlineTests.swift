import Synchronization
import Testing

@testable import FulcrumAmphoraClient

/// The agent client's last-resort deadline: a call that never comes back (and ignores cancellation) still
/// returns control to the flow.
@Suite("hard deadline of agent calls", .timeLimit(.minutes(1)))
struct HardDeadlineTests {
    /// A call that does not come back until the test lets it (a wedged request that ignores cancellation).
    final class Wedge: Sendable {
        private let waiting = Mutex<[CheckedContinuation<Int, Never>]>([])

        func call() async -> Int {
            await withCheckedContinuation { continuation in waiting.withLock { $0.append(continuation) } }
        }

        func release() {
            for continuation in waiting.withLock({ $0 }) { continuation.resume(returning: 0) }
        }
    }

    @Test("a body that answers in time gives its value or its error")
    func inTime() async throws {
        #expect(try await withHardDeadline(.seconds(5)) { 42 } == 42)
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await withHardDeadline(.seconds(5)) { () async throws -> Int in throw Boom() }
        }
    }

    @Test("a body that never comes back ends with HardDeadlineExceeded after the limit")
    func wedged() async throws {
        let wedge = Wedge()
        let started = ContinuousClock.now
        await #expect(throws: HardDeadlineExceeded.self) {
            try await withHardDeadline(.milliseconds(200)) { await wedge.call() }
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(200) && elapsed < .seconds(10))
        wedge.release()
    }

    @Test("a cancelled caller comes back at once, even from a body that never does")
    func cancelled() async throws {
        let wedge = Wedge()
        let call = Task { try await withHardDeadline(.seconds(30)) { await wedge.call() } }
        try await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(ContinuousClock.now - started < .seconds(5))
        wedge.release()
    }
}
