/// Why the configuration could not be loaded. Names the offending key (dotted, as in the YAML file) so the
/// operator can find it; the daemons print it and exit with status 2 before starting anything.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failure class.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidValue, missingValue, unreadableFile
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A value is present but unusable (not a number, out of range, unknown choice …).
        public static let invalidValue = Code(.invalidValue)
        /// A required value is absent.
        public static let missingValue = Code(.missingValue)
        /// The configuration file is missing or cannot be parsed.
        public static let unreadableFile = Code(.unreadableFile)

        public var description: String { base.rawValue }
    }

    /// The failure class.
    public var code: Code
    /// The dotted key, e.g. `api.port`, or the file path for `unreadableFile`.
    public var key: String
    /// What is wrong, without the key.
    public var message: String
    /// The environment variable the bad value came from, when it came from one.
    public var environmentVariable: String?

    /// Creates a configuration error.
    public init(_ code: Code, key: String, _ message: String, environmentVariable: String? = nil) {
        self.code = code
        self.key = key
        self.message = message
        self.environmentVariable = environmentVariable
    }

    /// `api.port: 99999 is not a port (1...65535) (from FULCRUM_API_PORT)`.
    public var description: String {
        let source = environmentVariable.map { " (from \($0))" } ?? ""
        return "\(key): \(message)\(source)"
    }
}
