/// A request that breaks one of Octavia's validation rules (an HTTP 400 at the API).
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending attribute, in API spelling (e.g. `protocol_port`), if one is to blame.
    public var field: String?
    /// A message fit for an API client.
    public var message: String

    /// Creates a validation error.
    public init(field: String? = nil, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String {
        if let field { return "Invalid input for field/attribute \(field). \(message)" }
        return message
    }
}
