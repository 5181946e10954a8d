import Hummingbird
import Logging

/// Logs each request once it has an answer, at debug level: method, path (no query string) and status.
/// Headers are never logged, so neither is `X-Auth-Token`.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        let response = try await next(request, context)
        context.logger.debug(
            "request handled",
            metadata: [
                "http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path)",
                "http.status": "\(response.status.code)",
            ])
        return response
    }
}
