/// A configuration value that must never be printed or logged, such as a token or an HMAC key.
/// Its descriptions are redacted; read `value` only where the secret is used.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself.
    public var value: String

    /// Wraps a secret.
    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
