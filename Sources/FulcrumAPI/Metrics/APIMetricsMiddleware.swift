import CoreMetrics
import HTTPTypes
import Hummingbird

/// Records every request in ``APIMetrics``: the outermost middleware, so it sees the final status of errors
/// too. The route comes from the context's endpoint path, which the router fills in with the matched template.
struct APIMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: APIMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        let start = ContinuousClock.now
        metrics.inFlight.increment()
        defer { metrics.inFlight.decrement() }
        do {
            let response = try await next(request, context)
            metrics.record(
                route: context.endpointPath, method: request.method, status: response.status,
                duration: .now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            metrics.record(route: context.endpointPath, method: request.method, status: status, duration: .now - start)
            throw error
        }
    }
}
