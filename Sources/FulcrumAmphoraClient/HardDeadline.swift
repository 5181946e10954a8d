import Synchronization

/// The call did not come back within its hard deadline.
struct HardDeadlineExceeded: Error, CustomStringConvertible {
    var limit: Duration
    var description: String { "no answer within the hard deadline of \(limit)" }
}

/// Runs `body` but comes back after `limit` even when `body` does not. AsyncHTTPClient's own deadline covers the
/// ordinary cases; this one is for a request that waits for ever without a connection attempt, which a chaos
/// run showed (worker restarts while amphorae booted slowly under TCG): four flows sat in `info` for
/// minutes with no socket open. The abandoned body is cancelled and left to end on its own. A cancelled caller
/// comes back at once as well.
func withHardDeadline<T: Sendable>(
    _ limit: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = Race<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.start(continuation)
            let work = Task {
                do {
                    race.finish(.success(try await body()))
                } catch {
                    race.finish(.failure(error))
                }
            }
            let timer = Task {
                try await Task.sleep(for: limit)
                race.finish(.failure(HardDeadlineExceeded(limit: limit)))
                work.cancel()
            }
            race.attach(work: work, timer: timer)
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// Resumes the continuation exactly once, with whichever of work, timer or cancellation ends first, and then
/// stops the others.
private final class Race<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        /// Set before the continuation exists: a cancellation that came first.
        var early: Result<T, any Error>?
        var work: Task<Void, Never>?
        var timer: Task<Void, any Error>?
        var done = false
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, any Error>) {
        let early: Result<T, any Error>? = state.withLock { state in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func attach(work: Task<Void, Never>, timer: Task<Void, any Error>) {
        let finished = state.withLock { state in
            state.work = work
            state.timer = timer
            return state.done
        }
        if finished {
            work.cancel()
            timer.cancel()
        }
    }

    func finish(_ result: Result<T, any Error>) {
        let taken = state.withLock {
            state -> (CheckedContinuation<T, any Error>?, Task<Void, Never>?, Task<Void, any Error>?)? in
            guard !state.done else { return nil }
            state.done = true
            guard let continuation = state.continuation else {
                state.early = result
                return (nil, state.work, state.timer)
            }
            state.continuation = nil
            return (continuation, state.work, state.timer)
        }
        guard let (continuation, work, timer) = taken else { return }
        timer?.cancel()
        if case .failure = result { work?.cancel() }
        continuation?.resume(with: result)
    }
}
