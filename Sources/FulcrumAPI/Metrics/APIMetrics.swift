public import CoreMetrics
import HTTPTypes
import Synchronization

/// The API's request metrics (STYLE rule 16), on the factory the runtime passes in (Prometheus in `fulcrum-api`,
/// a test factory in tests, no-op by default).
///
/// Every label is bounded: `route` is the matched route template of the router's own table
/// (`/v2/lbaas/loadbalancers/{id}`, or `NotFound`), never the raw path; `method` is one of the standard methods
/// or `OTHER`; `status` is a three-digit code. The per-label handles are made on first use and kept, because the
/// route table is built after this and status codes are open-ended; the key space stays the route table times a
/// handful of methods and codes.
public final class APIMetrics: Sendable {
    struct RequestKey: Hashable, Sendable {
        var route: String
        var method: String
        var status: Int
    }

    struct LatencyKey: Hashable, Sendable {
        var route: String
        var method: String
    }

    /// Methods kept as their own label value.
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    private let factory: any MetricsFactory
    let inFlight: Meter
    private let requests = Mutex<[RequestKey: Counter]>([:])
    private let latencies = Mutex<[LatencyKey: CoreMetrics.Timer]>([:])

    /// Creates the metrics on `factory`.
    public init(factory: any MetricsFactory) {
        self.factory = factory
        inFlight = Meter(label: "fulcrum_api_requests_in_flight", factory: factory)
    }

    /// Metrics that go nowhere (the default of an `APIServer` made without any).
    public static var disabled: APIMetrics { APIMetrics(factory: NOOPMetricsHandler.instance) }

    /// Counts one answered request and its latency.
    func record(route: String?, method: HTTPRequest.Method, status: HTTPResponse.Status, duration: Duration) {
        let route = route ?? "NotFound"
        let method = Self.methods.contains(method.rawValue) ? method.rawValue : "OTHER"
        let code = (100...599).contains(status.code) ? status.code : 599
        let requestKey = RequestKey(route: route, method: method, status: code)
        let counter = requests.withLock { cache in
            if let counter = cache[requestKey] { return counter }
            let counter = Counter(
                label: "fulcrum_api_requests_total",
                dimensions: [("route", route), ("method", method), ("status", "\(code)")], factory: factory)
            cache[requestKey] = counter
            return counter
        }
        counter.increment()
        let latencyKey = LatencyKey(route: route, method: method)
        let timer = latencies.withLock { cache in
            if let timer = cache[latencyKey] { return timer }
            let timer = CoreMetrics.Timer(
                label: "fulcrum_api_request_duration_seconds", dimensions: [("route", route), ("method", method)],
                factory: factory)
            cache[latencyKey] = timer
            return timer
        }
        let (seconds, attoseconds) = duration.components
        timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
