import Foundation
import FulcrumAPITypes
import FulcrumModel
import FulcrumStore
public import HTTPTypes
public import Hummingbird
import Logging
import NIOCore

/// The one place where failures become HTTP: every error a route throws is mapped here to Octavia's
/// status code and fault body `{"faultcode", "faultstring", "debuginfo": null}`.
public struct APIError: HTTPResponseError, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The `faultstring`.
    public var message: String

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.code): \(message)" }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
    static func forbidden(_ message: String = "Policy does not allow this request to be performed.") -> APIError {
        APIError(.forbidden, message)
    }
    static let unauthorized = APIError(.unauthorized, "The request you have made requires authentication.")

    /// Maps any error to its HTTP form (reference §2 error table).
    public init(mapping error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as StoreError:
            self.init(Self.status(of: error.code), error.message)
        case let error as ValidationError:
            self.init(.badRequest, error.description)
        case let error as UnsupportedOptionError:
            self.init(.notImplemented, error.description)
        case is NIOTooManyBytesError:
            self.init(.contentTooLarge, "Request body is larger than the limit of \(APIServer.maxBodySize) bytes.")
        case let error as HTTPError:
            let message =
                switch error.status {
                case .contentTooLarge: "Request body is larger than the limit of \(APIServer.maxBodySize) bytes."
                case .notFound: "The resource could not be found."
                case .methodNotAllowed:
                    "The server could not comply with the request since it is either malformed or otherwise incorrect."
                default: error.body ?? error.status.reasonPhrase
                }
            self.init(error.status, message)
        default:
            self.init(.internalServerError, "An unexpected error occurred while processing the request.")
        }
    }

    static func status(of code: StoreError.Code) -> HTTPResponse.Status {
        switch code {
        case .notFound: .notFound
        case .immutable, .conflict, .addressUnavailable: .conflict
        case .invalid: .badRequest
        case .quotaExceeded: .forbidden
        default: .internalServerError
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let fault = FaultBody(faultcode: status.code < 500 ? "Client" : "Server", faultstring: message)
        let data = try JSONEncoder().encode(fault)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error thrown below it into an `APIError`, logging the unexpected ones (never tokens).
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let mapped = APIError(mapping: error)
            if mapped.status == .internalServerError {
                context.logger.error(
                    "request failed",
                    metadata: ["error": "\(String(reflecting: error))", "http.path": "\(request.uri.path)"])
            }
            return try mapped.response(from: request, context: context)
        }
    }
}
