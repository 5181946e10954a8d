public import Hummingbird

/// Authenticates every request except the version document, and refuses writes by read-only callers (403).
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    let authenticator: Authenticator
    /// Paths served without a token: the version document and the OpenAPI document.
    static let `public`: Set<String> = ["/", "/openapi.json"]

    /// Creates the middleware.
    public init(authenticator: Authenticator) {
        self.authenticator = authenticator
    }

    public func handle(
        _ request: Request, context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        if Self.public.contains(request.uri.path) || request.uri.path.isEmpty {
            return try await next(request, context)
        }
        var context = context
        let identity = try await authenticator.identify(request.headers)
        if request.method != .get, request.method != .head, !identity.canWrite {
            throw APIError.forbidden()
        }
        context.identity = identity
        return try await next(request, context)
    }
}
