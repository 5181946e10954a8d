import FulcrumAPITypes
import FulcrumModel
import FulcrumStore
import Hummingbird

/// `/lbaas/quotas`: list, show, set (202), reset (202), defaults. Writes are admin-only; members read their own.
struct QuotaController {
    let support: ControllerSupport
    var store: any APIStore { support.store }

    func register(on group: Routes) {
        group.get("lbaas/quotas", use: list)
        group.get("lbaas/quotas/:project_id", use: show)
        group.put("lbaas/quotas/:project_id", use: update)
        group.delete("lbaas/quotas/:project_id", use: reset)
        group.get("lbaas/quotas/:project_id/default", use: defaults)
    }

    func project(_ context: APIRequestContext, _ identity: Identity) throws -> String {
        let project = try support.id(context, "project_id")
        guard identity.isAdmin || project == identity.projectID else { throw APIError.forbidden() }
        return project
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        var objects: [JSONValue] = []
        for project in try await store.quotas().keys.sorted() where identity.isAdmin || project == identity.projectID {
            let quota = try await store.effectiveQuota(projectID: project)
            objects.append(try JSONValue(encoding: QuotaBody(quota, projectID: project)))
        }
        let withID = objects.map { object -> JSONValue in
            var members = object.objectValue ?? [:]
            members["id"] = members["project_id"]
            return .object(members)
        }
        let response = try support.list(
            "quotas", objects: withID, attributes: QuotaBody.attributeNames + ["id"], request: request)
        return response
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let project = try project(context, try context.caller())
        let quota = try await store.effectiveQuota(projectID: project)
        return try Reply.object("quota", try JSONValue(encoding: QuotaBody(quota, projectID: project)))
    }

    @Sendable func defaults(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try project(context, try context.caller())
        return try Reply.object("quota", try JSONValue(encoding: QuotaBody(store.defaultQuota, projectID: nil)))
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        guard identity.isAdmin else { throw APIError.forbidden() }
        let project = try project(context, identity)
        let body = try await RequestBodyDecoder.decode(
            QuotaBody.self, root: "quota", allowed: QuotaBody.updateAttributes, request: request, context: context)
        let quota = body.value.quota
        try quota.validate()
        _ = try await store.setQuota(projectID: project, quota)
        let effective = try await store.effectiveQuota(projectID: project)
        return try Reply.object(
            "quota", try JSONValue(encoding: QuotaBody(effective, projectID: project)), status: .accepted)
    }

    @Sendable func reset(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        guard identity.isAdmin else { throw APIError.forbidden() }
        try await store.resetQuota(projectID: try project(context, identity))
        return Reply.empty(.accepted)
    }
}
