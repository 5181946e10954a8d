/// The engine's errors.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value { case invalidConfig }
        private let value: Value
        /// The config cannot be served as given (e.g. TLS material missing or unreadable).
        public static let invalidConfig = Code(value: .invalidConfig)
        public var description: String { "\(value)" }
    }

    /// The kind.
    public var code: Code
    /// Detail.
    public var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
