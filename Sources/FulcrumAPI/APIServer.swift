public import Foundation
public import FulcrumModel
public import FulcrumQueue
public import FulcrumStore
public import Hummingbird
public import Logging

/// Everything the API needs from storage (ports only; the SQLite adapter is chosen by the runtime).
public typealias APIStore = ResourceStore & GraphStore & QuotaStore & NetworkStore & AmphoraStore & TokenStore
    & HealthStore & FloatingIPStore

/// Fulcrum's Octavia v2 API: builds the router (every route under both `/v2` and `/v2.0`) and the
/// Hummingbird application, which is a `Service`.
public struct APIServer: Sendable {
    /// Largest accepted request body (1 MiB); larger ones get 413.
    public static let maxBodySize = 1 << 20

    let store: any APIStore
    let queue: any TaskQueue
    let authenticator: Authenticator
    let makeID: @Sendable () -> String
    let logger: Logger
    let defaultTopology: Topology
    let floatingIPs: FloatingIPConfiguration
    let metrics: APIMetrics

    /// Creates the API over `store`; `queue` takes the few tasks that record no store write (amphora config);
    /// load balancers created without a flavor get `defaultTopology`; `floatingIPs` says which floating
    /// addresses are accepted; requests are counted in `metrics`.
    public init(
        store: any APIStore, queue: any TaskQueue, authenticator: Authenticator, logger: Logger,
        defaultTopology: Topology = .single, floatingIPs: FloatingIPConfiguration = .init(),
        metrics: APIMetrics = .disabled,
        makeID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        self.metrics = metrics
        self.defaultTopology = defaultTopology
        self.floatingIPs = floatingIPs
        self.store = store
        self.queue = queue
        self.authenticator = authenticator
        self.logger = logger
        self.makeID = makeID
    }

    /// The router with every route and middleware.
    public func router() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: APIMetricsMiddleware(metrics: metrics))
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: APIErrorMiddleware())
        // Middleware applies only to routes added after it: the dashboard's static files are served before the
        // Accept (JSON only) and auth middleware. They hold no data; the page's script sends the token.
        DashboardController().register(on: router)
        router.add(middleware: AcceptMiddleware())
        router.add(middleware: AuthMiddleware(authenticator: authenticator))
        let support = ControllerSupport(
            store: store, queue: queue, makeID: makeID, defaultTopology: defaultTopology)
        router.get("/") { request, _ in
            try Reply.encodable(VersionsDocument.body(for: request))
        }
        IdentityController().register(on: router)
        let catalog = RouteCatalog()
        for prefix in ["v2", "v2.0"] {
            let group = Routes(group: router.group(RouterPath(prefix)), catalog: catalog)
            LoadBalancerController(support: support).register(on: group)
            ListenerController(support: support).register(on: group)
            PoolController(support: support).register(on: group)
            MemberController(support: support).register(on: group)
            HealthMonitorController(support: support).register(on: group)
            L7PolicyController(support: support).register(on: group)
            L7RuleController(support: support).register(on: group)
            QuotaController(support: support).register(on: group)
            CatalogController(support: support).register(on: group)
            AmphoraController(support: support).register(on: group)
            NetworkController(support: support).register(on: group)
            FloatingIPController(support: support, configuration: floatingIPs).register(on: group)
        }
        let document = OpenAPIDocument.document(catalog.all)
        router.get("openapi.json") { _, _ in try Reply.json(document) }
        return router
    }

    /// The HTTP application listening on `host:port`.
    public func application(host: String, port: Int) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "fulcrum-api"),
            logger: logger)
    }
}
