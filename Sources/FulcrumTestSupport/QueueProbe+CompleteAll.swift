import FulcrumModel
import FulcrumQueue
import FulcrumSQLite

extension QueueProbe {
    /// A stand-in worker for the real-client test: claims every runnable task and completes it with its lock
    /// set's success writes (objects go ACTIVE, deletes remove rows), at most `limit` tasks. Returns how many.
    public static func completeAll(path: String, limit: Int = 10_000) async throws -> Int {
        let queue = SQLiteTaskQueue(database: try FulcrumDatabase.open(path: path))
        var completed = 0
        while completed < limit, let claimed = try await queue.claim(owner: "complete-all") {
            try await queue.complete(claimed.lease, changes: claimed.task.lockSet?.onSuccess ?? [])
            completed += 1
        }
        return completed
    }
}
