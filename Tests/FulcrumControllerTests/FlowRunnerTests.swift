import FulcrumController
import FulcrumModel
import FulcrumQueue
import FulcrumTestSupport
import Logging
import Synchronization
import Testing

/// Records what steps did, in order.
final class Journal: Sendable {
    private let entries = Mutex<[String]>([])
    func add(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

struct RecordingStep: FlowStep {
    let name: String
    let journal: Journal
    var fails = false
    static let produced = FlowKey<[String]>("produced")

    func execute(_ state: inout FlowState) async throws {
        journal.add("execute \(name)")
        if fails { throw FlowError(.missingValue, "\(name) failed") }
        state[Self.produced] = (state[Self.produced] ?? []) + [name]
    }

    func revert(_ state: FlowState) async {
        journal.add("revert \(name)")
    }
}

@Suite("Flow runner")
struct FlowRunnerTests {
    let runner = FlowRunner(logger: Logger(label: "test"))

    @Test("runs every step in order and hands values forward")
    func success() async throws {
        let journal = Journal()
        let flow = Flow(name: "f", steps: ["a", "b", "c"].map { RecordingStep(name: $0, journal: journal) })
        guard case .succeeded(let state) = await runner.run(flow) else {
            Issue.record("flow failed")
            return
        }
        #expect(state[RecordingStep.produced] == ["a", "b", "c"])
        #expect(journal.all == ["execute a", "execute b", "execute c"])
    }

    @Test("a failing step is reverted together with the completed ones, newest first; later steps never run")
    func failure() async throws {
        let journal = Journal()
        let flow = Flow(
            name: "f",
            steps: [
                RecordingStep(name: "a", journal: journal), RecordingStep(name: "b", journal: journal),
                RecordingStep(name: "c", journal: journal, fails: true), RecordingStep(name: "d", journal: journal),
            ])
        guard case .failed(let failedStep, _, let reverted) = await runner.run(flow) else {
            Issue.record("flow succeeded")
            return
        }
        #expect(failedStep == "c")
        #expect(reverted == ["c", "b", "a"])
        #expect(journal.all == ["execute a", "execute b", "execute c", "revert c", "revert b", "revert a"])
    }

    @Test("a missing value is a typed flow error")
    func missingValue() {
        let state = FlowState()
        #expect(throws: FlowError.self) { try state.require(FlowKey<Int>("nothing")) }
    }
}

@Suite("Flow dispatcher")
struct FlowDispatcherTests {
    func claimed(kind: String, lockSet: LockSet?) -> ClaimedTask {
        let now = ManualWallClock().now()
        let task = QueuedTask(
            id: 1, kind: kind, payload: "{}", loadBalancerID: "lb", state: .running, attempts: 1, maxAttempts: 3,
            notBefore: now, leaseOwner: "w", leaseExpiresAt: now, lastError: nil, createdAt: now, finishedAt: nil,
            lockSet: lockSet)
        return ClaimedTask(task: task, lease: TaskLease(taskID: 1, owner: "w", attempt: 1, expiresAt: now))
    }

    @Test("a successful flow returns the lock set's success writes plus the flow's own")
    func successWrites() async throws {
        let lockSet = LockSet(
            object: ResourceRef(.listener, "l1"), operation: .create, parents: [ResourceRef(.loadBalancer, "lb")])
        struct Extra: FlowStep {
            let name = "extra"
            func execute(_ state: inout FlowState) async throws {
                state[FlowDispatcher.extraChanges] = [.operating(ResourceRef(.listener, "l1"), .online)]
            }
        }
        let dispatcher = FlowDispatcher(
            builders: ["listener.create": { _ in Flow(name: "listener.create", steps: [Extra()]) }],
            logger: Logger(label: "test"))
        let changes = try await dispatcher.handle(claimed(kind: "listener.create", lockSet: lockSet))
        #expect(changes == lockSet.onSuccess + [.operating(ResourceRef(.listener, "l1"), .online)])
    }

    @Test("an unknown task kind is a permanent failure (dead-lettered at once, objects leave PENDING)")
    func unknownKind() async {
        let dispatcher = FlowDispatcher(builders: [:], logger: Logger(label: "test"))
        await #expect(throws: PermanentTaskError.self) {
            _ = try await dispatcher.handle(claimed(kind: "nope", lockSet: nil))
        }
    }

    @Test("a failed flow rethrows its error after reverting, so the queue retries it")
    func failedFlow() async {
        let journal = Journal()
        let dispatcher = FlowDispatcher(
            builders: ["x": { _ in Flow(name: "x", steps: [RecordingStep(name: "a", journal: journal, fails: true)]) }],
            logger: Logger(label: "test"))
        await #expect(throws: FlowError.self) { _ = try await dispatcher.handle(claimed(kind: "x", lockSet: nil)) }
        #expect(journal.all == ["execute a", "revert a"])
    }
}
