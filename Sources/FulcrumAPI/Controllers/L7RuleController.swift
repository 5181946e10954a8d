import FulcrumAPITypes
import FulcrumModel
import FulcrumStore
import Hummingbird

/// `/lbaas/l7policies/{policy_id}/rules` (root key `rule`): CRUD.
struct L7RuleController {
    let support: ControllerSupport
    var store: any APIStore { support.store }

    func register(on group: Routes) {
        group.get("lbaas/l7policies/:id/rules", use: list)
        group.post("lbaas/l7policies/:id/rules", use: create)
        group.get("lbaas/l7policies/:id/rules/:rule_id", use: show)
        group.put("lbaas/l7policies/:id/rules/:rule_id", use: update)
        group.delete("lbaas/l7policies/:id/rules/:rule_id", use: delete)
    }

    func policy(_ context: APIRequestContext, _ identity: Identity) async throws -> L7Policy {
        let id = try support.id(context)
        guard case .l7Policy(let policy) = try await support.fetch(ResourceRef(.l7Policy, id), identity) else {
            throw StoreError.notFound(ResourceRef(.l7Policy, id))
        }
        return policy
    }

    func rule(_ context: APIRequestContext, _ identity: Identity) async throws -> L7Rule {
        let policy = try await policy(context, identity)
        let ref = ResourceRef(.l7Rule, try support.id(context, "rule_id"))
        guard case .l7Rule(let rule) = try await support.fetch(ref, identity), rule.l7PolicyID == policy.id else {
            throw StoreError.notFound(ref)
        }
        return rule
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let policy = try await policy(context, identity)
        return try support.list(
            "rules", objects: try await support.rendered(.l7Rule, identity, parentID: policy.id),
            attributes: L7RuleBody.attributeNames, request: request)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let rule = try await rule(context, try context.caller())
        return try support.show("rule", try await support.render(.l7Rule(rule)), request: request)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let policy = try await policy(context, identity)
        let body = try await RequestBodyDecoder.decode(
            L7RuleWrite.self, root: "rule", allowed: L7RuleWrite.createAttributes, request: request, context: context)
        let write = body.value
        _ = try identity.projectForCreate(requested: write.projectID ?? write.tenantID)
        var rule = L7Rule(
            id: support.makeID(), projectID: policy.projectID, l7PolicyID: policy.id,
            type: try required(write.type, "type"), compareType: try required(write.compareType, "compare_type"),
            value: try required(write.value, "value"))
        rule = write.apply(to: rule, nulls: [])
        try rule.validate()
        let receipt = try await store.create(
            .l7Rule(rule), options: CreateOptions(),
            task: support.task(.l7RuleCreate, ["id": .string(rule.id), "l7policy_id": .string(policy.id)]))
        return try support.show(
            "rule", try await support.render(receipt.resource ?? .l7Rule(rule)), request: request, status: .created)
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let rule = try await rule(context, identity)
        let body = try await RequestBodyDecoder.decode(
            L7RuleWrite.self, root: "rule", allowed: L7RuleWrite.updateAttributes, request: request, context: context)
        let updated = body.value.apply(to: rule, nulls: body.nulls)
        try updated.validate()
        let receipt = try await store.update(
            .l7Rule(updated), task: support.task(.l7RuleUpdate, ["id": .string(rule.id)]))
        return try support.show(
            "rule", try await support.render(receipt.resource ?? .l7Rule(updated)), request: request)
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let rule = try await rule(context, identity)
        return try await support.deleteChild(ResourceRef(.l7Rule, rule.id), identity, kind: .l7RuleDelete)
    }
}
