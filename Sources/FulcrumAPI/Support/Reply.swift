import Foundation
import FulcrumAPITypes
import HTTPTypes
import Hummingbird
import NIOCore

/// JSON responses.
enum Reply {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try value.encoded())))
    }

    static func encodable(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// `{"<root>": body}`.
    static func object(_ root: String, _ body: JSONValue, status: HTTPResponse.Status = .ok) throws -> Response {
        try json(.object([root: body]), status: status)
    }

    static func empty(_ status: HTTPResponse.Status) -> Response {
        Response(status: status)
    }
}
