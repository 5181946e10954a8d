import FulcrumAPITypes
import FulcrumModel
import FulcrumStore
import Hummingbird

/// `/lbaas/pools/{pool_id}/members`: CRUD and the batch update on the collection.
struct MemberController {
    let support: ControllerSupport
    var store: any APIStore { support.store }

    func register(on group: Routes) {
        group.get("lbaas/pools/:id/members", use: list)
        group.post("lbaas/pools/:id/members", use: create)
        group.put("lbaas/pools/:id/members", use: batch)
        group.get("lbaas/pools/:id/members/:member_id", use: show)
        group.put("lbaas/pools/:id/members/:member_id", use: update)
        group.delete("lbaas/pools/:id/members/:member_id", use: delete)
    }

    func pool(_ context: APIRequestContext, _ identity: Identity) async throws -> Pool {
        let id = try support.id(context)
        guard case .pool(let pool) = try await support.fetch(ResourceRef(.pool, id), identity) else {
            throw StoreError.notFound(ResourceRef(.pool, id))
        }
        return pool
    }

    func member(_ context: APIRequestContext, _ identity: Identity) async throws -> Member {
        let pool = try await pool(context, identity)
        let ref = ResourceRef(.member, try support.id(context, "member_id"))
        guard case .member(let member) = try await support.fetch(ref, identity), member.poolID == pool.id else {
            throw StoreError.notFound(ref)
        }
        return member
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let pool = try await pool(context, identity)
        return try support.list(
            "members", objects: try await support.rendered(.member, identity, parentID: pool.id),
            attributes: MemberBody.attributeNames, request: request)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let member = try await member(context, try context.caller())
        return try support.show("member", try await support.render(.member(member)), request: request)
    }

    func makeMember(_ write: MemberWrite, pool: Pool) async throws -> Member {
        let address = try required(write.address, "address")
        let port = try required(write.protocolPort, "protocol_port")
        let member = write.makeMember(
            id: support.makeID(), projectID: pool.projectID, poolID: pool.id, address: address, port: port)
        try member.validate()
        if let subnetID = member.subnetID, try await !store.subnets().contains(where: { $0.id == subnetID }) {
            throw APIError.badRequest("Invalid input for field/attribute subnet_id. Subnet \(subnetID) not found.")
        }
        if member.requestSRIOV {
            throw UnsupportedOptionError(
                provider: "amphora", field: "request_sriov", "SR-IOV members are not supported.")
        }
        return member
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let pool = try await pool(context, identity)
        let body = try await RequestBodyDecoder.decode(
            MemberWrite.self, root: "member", allowed: MemberWrite.createAttributes, request: request, context: context)
        _ = try identity.projectForCreate(requested: body.value.projectID ?? body.value.tenantID)
        let member = try await makeMember(body.value, pool: pool)
        let receipt = try await store.create(
            .member(member), options: CreateOptions(),
            task: support.task(.memberCreate, ["id": .string(member.id), "pool_id": .string(pool.id)]))
        return try support.show(
            "member", try await support.render(receipt.resource ?? .member(member)), request: request, status: .created)
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let member = try await member(context, identity)
        let body = try await RequestBodyDecoder.decode(
            MemberWrite.self, root: "member", allowed: MemberWrite.updateAttributes, request: request, context: context)
        let updated = body.value.apply(to: member, nulls: body.nulls)
        try updated.validate()
        let receipt = try await store.update(
            .member(updated), task: support.task(.memberUpdate, ["id": .string(member.id)]))
        return try support.show(
            "member", try await support.render(receipt.resource ?? .member(updated)), request: request)
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let member = try await member(context, identity)
        return try await support.deleteChild(ResourceRef(.member, member.id), identity, kind: .memberDelete)
    }

    /// `PUT …/members` `{"members": [...]}`, `?additive_only=`: 202, no body.
    @Sendable func batch(_ request: Request, context: APIRequestContext) async throws -> Response {
        let identity = try context.caller()
        let pool = try await pool(context, identity)
        let document = try await RequestBodyDecoder.json(request, context: context)
        guard let top = document.objectValue, let entries = top["members"]?.arrayValue else {
            throw APIError.badRequest("Missing mandatory field: the request body needs the root key 'members'.")
        }
        if let extra = top.keys.first(where: { $0 != "members" }) {
            throw APIError.badRequest("Unknown attribute for argument members: \(extra)")
        }
        var members: [Member] = []
        for entry in entries {
            guard let attributes = entry.objectValue else {
                throw APIError.badRequest("Each member must be an object.")
            }
            let decoded = try RequestBodyDecoder.decodeAttributes(
                MemberWrite.self, name: "member", attributes: attributes, allowed: MemberWrite.createAttributes)
            members.append(try await makeMember(decoded.value, pool: pool))
        }
        let additive = QueryParameters(request.uri.query).flag("additive_only")
        _ = try await store.replaceMembers(
            poolID: pool.id, projectID: pool.projectID, members: members, additiveOnly: additive,
            task: support.task(.memberBatchUpdate, ["pool_id": .string(pool.id), "additive_only": .bool(additive)]))
        return Reply.empty(.accepted)
    }
}
