/// Why a process could not start or run, other than bad configuration (`ConfigError`).
public struct RuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failure class.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case schemaOutdated, databaseUnavailable
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The database has pending migrations (or was migrated by a newer build): run `fulcrum db upgrade`.
        public static let schemaOutdated = Code(.schemaOutdated)
        /// The database file could not be created or opened.
        public static let databaseUnavailable = Code(.databaseUnavailable)

        public var description: String { base.rawValue }
    }

    /// The failure class.
    public var code: Code
    /// A message for the operator.
    public var message: String
    /// The database path concerned.
    public var path: String?
    /// The underlying error's description, if any.
    public var underlying: String?

    /// Creates a runtime error.
    public init(_ code: Code, _ message: String, path: String? = nil, underlying: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.underlying = underlying
    }

    public var description: String { message }
}

/// Exit statuses of Fulcrum's executables (documented in README.md).
public enum ExitStatus {
    /// Clean exit, including after SIGTERM/SIGINT.
    public static let success: Int32 = 0
    /// The database is not usable: schema outdated (run `fulcrum db upgrade`), cannot be opened, or
    /// (for `fulcrum db status`) migrations are pending. Also any failure of a running service.
    public static let databaseNotReady: Int32 = 1
    /// The configuration is invalid; nothing was started.
    public static let invalidConfiguration: Int32 = 2
}
