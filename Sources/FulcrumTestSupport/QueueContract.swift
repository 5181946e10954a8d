public import FulcrumModel
public import FulcrumQueue
public import FulcrumSQLite

/// The queue implementations the contract suite runs against.
public enum QueueUnderTest: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case memory

    public var description: String { rawValue }

    /// A fresh queue of this kind on `clock`, plus a clean-up closure.
    public func make(
        clock: ManualWallClock, configuration: QueueConfiguration
    ) throws -> (any TaskQueue, @Sendable () -> Void) {
        switch self {
        case .memory:
            return (MemoryTaskQueue(configuration: configuration, clock: clock), {})
        case .sqlite:
            let directory = try TemporaryDirectory()
            let database = try FulcrumDatabase.open(path: directory.path + "/queue.db")
            try database.migrate()
            return (
                SQLiteTaskQueue(database: database, configuration: configuration, clock: clock), { directory.remove() }
            )
        }
    }
}
