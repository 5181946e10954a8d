import Hummingbird
import Synchronization

/// One registered route, as the OpenAPI document lists it.
struct RouteEntry: Sendable, Hashable, Comparable {
    var method: String
    /// Hummingbird path syntax without the version prefix, e.g. `lbaas/loadbalancers/:id`.
    var path: String

    static func < (lhs: RouteEntry, rhs: RouteEntry) -> Bool {
        (lhs.path, lhs.method) < (rhs.path, rhs.method)
    }
}

/// Every route the controllers register, recorded as they register, so the OpenAPI document is generated
/// from the router's own table and cannot drift from it.
final class RouteCatalog: Sendable {
    private let entries = Mutex<Set<RouteEntry>>([])

    func record(_ method: String, _ path: String) {
        _ = entries.withLock { $0.insert(RouteEntry(method: method, path: path)) }
    }

    var all: [RouteEntry] { entries.withLock { $0.sorted() } }
}

/// A router group under one version prefix that records what it registers.
struct Routes {
    let group: RouterGroup<APIRequestContext>
    let catalog: RouteCatalog

    typealias Handler<Output: ResponseGenerator> = @Sendable (Request, APIRequestContext) async throws -> Output

    func get<Output: ResponseGenerator>(_ path: String, use handler: @escaping Handler<Output>) {
        catalog.record("GET", path)
        group.get(RouterPath(path), use: handler)
    }

    func post<Output: ResponseGenerator>(_ path: String, use handler: @escaping Handler<Output>) {
        catalog.record("POST", path)
        group.post(RouterPath(path), use: handler)
    }

    func put<Output: ResponseGenerator>(_ path: String, use handler: @escaping Handler<Output>) {
        catalog.record("PUT", path)
        group.put(RouterPath(path), use: handler)
    }

    func delete<Output: ResponseGenerator>(_ path: String, use handler: @escaping Handler<Output>) {
        catalog.record("DELETE", path)
        group.delete(RouterPath(path), use: handler)
    }
}
