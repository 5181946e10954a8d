/// A typed key for values that steps hand to later steps (Octavia's TaskFlow "provides"/"requires").
public struct FlowKey<Value: Sendable>: Sendable, Hashable {
    /// The key's name, unique within a flow.
    public let name: String

    /// Creates a key.
    public init(_ name: String) { self.name = name }
}

/// Values produced by a flow's steps, read by later steps and by revert.
public struct FlowState: Sendable {
    private var values: [String: any Sendable] = [:]

    /// An empty state.
    public init() {}

    /// The value for `key`, if a step stored one.
    public subscript<Value>(key: FlowKey<Value>) -> Value? {
        get { values[key.name] as? Value }
        set { values[key.name] = newValue }
    }

    /// The value for `key`, or a `FlowError.missingValue`.
    public func require<Value>(_ key: FlowKey<Value>) throws(FlowError) -> Value {
        guard let value = self[key] else { throw FlowError(.missingValue, "no value for '\(key.name)'") }
        return value
    }
}

/// Why a flow could not run.
public struct FlowError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failure class.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// A step needed a value no earlier step produced (a programming error in the flow).
        public static let missingValue = Code("missingValue")
        /// No flow is registered for a task kind.
        public static let unknownTask = Code("unknownTask")
        /// A task's payload could not be decoded.
        public static let badPayload = Code("badPayload")
        public var description: String { name }
    }

    public var code: Code
    public var message: String

    /// Creates a flow error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
