public import Foundation
public import FulcrumModel
import Synchronization

/// A wall clock tests move by hand.
public final class ManualWallClock: WallClock {
    private let current: Mutex<Date>

    /// Starts at `start`.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(by duration: Duration) {
        current.withLock { $0 = $0.addingTimeInterval(duration.timeInterval) }
    }
}

/// Predictable ids: `<prefix>-0001`, `<prefix>-0002`, …
public final class SequentialIDs: IDGenerator {
    private let counter = Mutex(0)
    private let prefix: String

    /// Creates a generator.
    public init(prefix: String = "id") { self.prefix = prefix }

    public func next() -> String {
        let value = counter.withLock { value in
            value += 1
            return value
        }
        return "\(prefix)-\(String(format: "%04d", value))"
    }
}

/// A fresh temporary directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    /// The directory path.
    public let path: String

    /// Creates the directory.
    public init() throws {
        path = NSTemporaryDirectory() + "fulcrum-test-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Deletes the directory and its contents.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Paths of the package's build products, for tests that start real processes.
public enum BuildProducts {
    /// The package root, found from this file's location.
    public static var packageRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    /// The path of an executable product in the debug build folder, if it was built.
    public static func executable(_ name: String) -> String? {
        let path = packageRoot + "/.build/debug/" + name
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
}
