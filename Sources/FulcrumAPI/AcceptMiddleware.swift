import Foundation
import HTTPTypes
import Hummingbird

/// Only JSON is served: an `Accept` header that excludes `application/json` gets 406, as in Octavia.
struct AcceptMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        if let accept = request.headers[.accept], !Self.acceptsJSON(accept) {
            throw APIError(.notAcceptable, "Only application/json is served.")
        }
        return try await next(request, context)
    }

    static func acceptsJSON(_ header: String) -> Bool {
        header.split(separator: ",").contains { item in
            let type = item.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            return type == "application/json" || type == "*/*" || type == "application/*" || type.isEmpty
        }
    }
}
