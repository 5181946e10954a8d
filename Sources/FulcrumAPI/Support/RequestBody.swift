import Foundation
import FulcrumAPITypes
import Hummingbird

/// A decoded write body: the typed attributes and which of them were sent as `null`.
struct DecodedBody<Value: Decodable & Sendable>: Sendable {
    var value: Value
    /// Attributes present with value `null`.
    var nulls: Set<String>
    /// Attributes present at all.
    var present: Set<String>
}

/// Strict decoding of Octavia write bodies: the JSON must parse, have exactly the root key, and carry only
/// attributes of `allowed`; type errors name the attribute. Every failure is a 400, never a 500.
enum RequestBodyDecoder {
    static func json(_ request: Request, context: APIRequestContext) async throws -> JSONValue {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("Missing request body.") }
        let data = Data(buffer.readableBytesView)
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw APIError.badRequest("Malformed JSON request body: the body is not a valid JSON document.")
        }
    }

    /// The object under `root`, checked against `allowed`.
    static func decode<Value: Decodable & Sendable>(
        _ type: Value.Type, root: String, allowed: Set<String>, request: Request, context: APIRequestContext
    ) async throws -> DecodedBody<Value> {
        let document = try await json(request, context: context)
        return try decode(type, root: root, allowed: allowed, document: document)
    }

    static func decode<Value: Decodable & Sendable>(
        _ type: Value.Type, root: String, allowed: Set<String>, document: JSONValue
    ) throws -> DecodedBody<Value> {
        guard let top = document.objectValue, let inner = top[root] else {
            throw APIError.badRequest("Missing mandatory field: the request body needs the root key '\(root)'.")
        }
        if let extra = top.keys.first(where: { $0 != root }) {
            throw APIError.badRequest("Unknown attribute for argument \(root): \(extra)")
        }
        guard let attributes = inner.objectValue else {
            throw APIError.badRequest("Invalid input for \(root): the value must be an object.")
        }
        return try decodeAttributes(type, name: root, attributes: attributes, allowed: allowed)
    }

    static func decodeAttributes<Value: Decodable & Sendable>(
        _ type: Value.Type, name: String, attributes: [String: JSONValue], allowed: Set<String>
    ) throws -> DecodedBody<Value> {
        if let unknown = attributes.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError.badRequest("Unknown attribute for argument \(name): \(unknown)")
        }
        do {
            let data = try JSONValue.object(attributes).encoded()
            let value = try JSONDecoder().decode(Value.self, from: data)
            let nulls = Set(attributes.filter { $0.value == .null }.keys)
            return DecodedBody(value: value, nulls: nulls, present: Set(attributes.keys))
        } catch let error as DecodingError {
            throw APIError.badRequest(message(for: error, attributes: attributes))
        }
    }

    static func message(for error: DecodingError, attributes: [String: JSONValue]) -> String {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
        @unknown default:
            path = []
        }
        let field = path.map(\.stringValue).joined(separator: ".")
        let shown = path.first.flatMap { attributes[$0.stringValue] }.flatMap { try? $0.encoded() }
            .flatMap { String(data: $0, encoding: .utf8) }
        return
            "Invalid input for field/attribute \(field). Value: '\(shown ?? "")'. The value has the wrong type or is not one of the allowed values."
    }
}
