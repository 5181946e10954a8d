public import Foundation

/// A JSON document as a value: what the API filters, sorts, selects fields from and checks request
/// attributes against. Numbers keep integer-ness so `"weight": 1` never comes back as `1.0`.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The members of an object, `nil` for other values.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The string, `nil` for other values.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements of an array, `nil` for other values.
    public var arrayValue: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// A member of an object.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The value as query-string text (`true`, `80`, `ACTIVE`); `nil` for arrays, objects and null.
    public var queryText: String? {
        switch self {
        case .null, .array, .object: nil
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): value
        }
    }
}

extension JSONValue {
    /// Encodes an API body as a JSON value, writing `null` for every attribute the body declares
    /// but left `nil` (Octavia returns `null`, never a missing key).
    public init<Body: APIBody>(encoding body: Body) throws {
        let data = try JSONEncoder().encode(body)
        var members = try JSONDecoder().decode([String: JSONValue].self, from: data)
        for name in Body.attributeNames where members[name] == nil {
            members[name] = .null
        }
        self = .object(members)
    }

    /// The JSON text of this value, keys sorted.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// A response body whose attribute names are known, so `nil` attributes can be written as `null`.
public protocol APIBody: Codable, Sendable {
    /// Every attribute of the body, in API spelling.
    static var attributeNames: [String] { get }
}
