import Foundation
import FulcrumAPITypes
import FulcrumModel
import FulcrumQueue
import FulcrumStore
import HTTPTypes
import Hummingbird

/// What every controller shares: the store, id generation, scoped lookups, rendering and task requests.
struct ControllerSupport: Sendable {
    let store: any APIStore
    let queue: any TaskQueue
    let makeID: @Sendable () -> String
    /// Topology of a load balancer created without a flavor.
    var defaultTopology: Topology = .single

    /// A visible object (another project's, or a DELETED load balancer, is 404).
    func fetch(_ ref: ResourceRef, _ identity: Identity) async throws -> Resource {
        guard let found = try await store.resource(ref, projectID: identity.scope),
            found.provisioningStatus != .deleted
        else { throw StoreError.notFound(ref) }
        return found
    }

    /// A task request of `kind` with a payload of ids.
    func task(_ kind: TaskKind, _ payload: [String: JSONValue]) -> TaskRequest {
        let text = (try? JSONValue.object(payload).encoded()).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        return TaskRequest(kind: kind.rawValue, payload: text)
    }

    /// The id in a path parameter.
    func id(_ context: APIRequestContext, _ name: String = "id") throws -> String {
        try context.parameters.require(name)
    }

    // MARK: rendering

    /// The body of one object, with its relations.
    func render(_ resource: Resource) async throws -> JSONValue {
        switch resource {
        case .loadBalancer(let lb):
            let listeners = try await store.resources(.listener, query: ResourceQuery(parentID: lb.id))
            let pools = try await store.resources(.pool, query: ResourceQuery(parentID: lb.id))
            let floatingIPs = try await store.floatingIPs(projectID: nil, loadBalancerID: lb.id)
            return try JSONValue(
                encoding: LoadBalancerBody(
                    lb, listeners: listeners.map(\.ref.id), pools: pools.map(\.ref.id), floatingIPs: floatingIPs))
        case .listener(let listener):
            let policies = try await store.resources(.l7Policy, query: ResourceQuery(parentID: listener.id))
            return try JSONValue(encoding: ListenerBody(listener, l7policies: policies.map(\.ref.id)))
        case .pool(let pool):
            let members = try await store.resources(.member, query: ResourceQuery(parentID: pool.id))
            let monitors = try await store.resources(.healthMonitor, query: ResourceQuery(parentID: pool.id))
            let listeners = try await listeners(usingPool: pool)
            return try JSONValue(
                encoding: PoolBody(
                    pool, listeners: listeners, members: members.map(\.ref.id), healthMonitorID: monitors.first?.ref.id)
            )
        case .member(let member):
            return try JSONValue(encoding: MemberBody(member))
        case .healthMonitor(let monitor):
            return try JSONValue(encoding: HealthMonitorBody(monitor))
        case .l7Policy(let policy):
            let rules = try await store.resources(.l7Rule, query: ResourceQuery(parentID: policy.id))
            return try JSONValue(encoding: L7PolicyBody(policy, rules: rules.map(\.ref.id)))
        case .l7Rule(let rule):
            return try JSONValue(encoding: L7RuleBody(rule))
        }
    }

    func listeners(usingPool pool: Pool) async throws -> [String] {
        let listeners = try await store.resources(.listener, query: ResourceQuery(parentID: pool.loadBalancerID))
        var ids: [String] = []
        for case .listener(let listener) in listeners {
            if listener.defaultPoolID == pool.id {
                ids.append(listener.id)
                continue
            }
            let policies = try await store.resources(.l7Policy, query: ResourceQuery(parentID: listener.id))
            if policies.contains(where: { if case .l7Policy(let p) = $0 { p.redirectPoolID == pool.id } else { false } }
            ) {
                ids.append(listener.id)
            }
        }
        return ids
    }

    /// A list response: `{"<plural>": [...], "<plural>_links": [...]}` after filter/sort/page/fields.
    func list(
        _ plural: String, objects: [JSONValue], attributes: [String], request: Request, linksKey: String? = nil,
        aliases: [String: String] = [:]
    ) throws -> Response {
        let query = ListQuery(
            parameters: QueryParameters(request.uri.query), attributes: Set(attributes), aliases: aliases)
        let page = try query.apply(to: objects, baseURL: Self.baseURL(request) + request.uri.path)
        let links = page.links.map { JSONValue.object(["href": .string($0.href), "rel": .string($0.rel)]) }
        return try Reply.json(.object([plural: .array(page.items), linksKey ?? "\(plural)_links": .array(links)]))
    }

    /// One object, with `fields=` applied.
    func show(_ root: String, _ body: JSONValue, request: Request, status: HTTPResponse.Status = .ok) throws -> Response
    {
        try Reply.object(root, ListQuery.select(body, parameters: QueryParameters(request.uri.query)), status: status)
    }

    /// `http://host:port` of the request.
    static func baseURL(_ request: Request) -> String {
        let host = request.head.authority ?? "127.0.0.1"
        return "http://\(host)"
    }
}

/// The version document at `GET /`.
enum VersionsDocument {
    static func body(for request: Request) -> VersionsBody {
        VersionsBody(baseURL: ControllerSupport.baseURL(request))
    }
}

/// A required attribute, or Octavia's 400.
func required<T>(_ value: T?, _ name: String) throws -> T {
    guard let value else {
        throw APIError.badRequest("Invalid input for field/attribute \(name). Mandatory field missing.")
    }
    return value
}

extension ControllerSupport {
    /// The objects of `kind` the caller sees (optionally below `parentID`), rendered.
    func rendered(_ kind: ResourceKind, _ identity: Identity, parentID: String? = nil) async throws -> [JSONValue] {
        var objects: [JSONValue] = []
        for resource in try await store.resources(
            kind, query: ResourceQuery(projectID: identity.scope, parentID: parentID))
        {
            objects.append(try await render(resource))
        }
        return objects
    }

    /// 204 after a recorded delete of a child object.
    func deleteChild(_ ref: ResourceRef, _ identity: Identity, kind: TaskKind) async throws -> Response {
        _ = try await store.delete(
            ref, projectID: identity.scope, cascade: false, task: task(kind, ["id": .string(ref.id)]))
        return Reply.empty(.noContent)
    }
}
