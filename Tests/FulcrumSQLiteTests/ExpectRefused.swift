import FulcrumStore
import FulcrumTestSupport
import Testing

/// Expects `body` to throw a `StoreError` with `code` and to leave the task table unchanged.
func expectRefused(_ fixture: StoreFixture, _ code: StoreError.Code, _ body: () async throws -> Void) async throws {
    let before = try await fixture.taskCount()
    do {
        try await body()
        Issue.record("expected \(code)")
    } catch let error as StoreError {
        #expect(error.code == code, "\(error)")
    }
    #expect(try await fixture.taskCount() == before, "a refused write enqueued a task")
}
