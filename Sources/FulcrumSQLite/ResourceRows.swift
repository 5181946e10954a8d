import Foundation
import FulcrumModel
import GRDB

/// Row mapping of the resource tables: real columns for what rules and locks need, the rest of
/// the model value as JSON in `body` (see `Schema`).
enum ResourceRows {
    /// Column values of `resource` beyond the common ones, given its load balancer id.
    private static func columns(
        _ resource: Resource, loadBalancerID: String
    ) -> [String: (any DatabaseValueConvertible)?] {
        switch resource {
        case .loadBalancer(let lb):
            return ["vip_subnet_id": lb.vipSubnetID, "vip_address": lb.vipAddress]
        case .listener(let listener):
            return [
                "load_balancer_id": loadBalancerID, "protocol": listener.protocol.rawValue,
                "protocol_port": listener.protocolPort, "l4_family": listener.protocol.l4Family,
                "default_pool_id": listener.defaultPoolID,
            ]
        case .pool(let pool):
            return ["load_balancer_id": loadBalancerID, "protocol": pool.protocol.rawValue]
        case .member(let member):
            return [
                "load_balancer_id": loadBalancerID, "pool_id": member.poolID, "address": member.address,
                "protocol_port": member.protocolPort,
            ]
        case .healthMonitor(let monitor):
            return ["load_balancer_id": loadBalancerID, "pool_id": monitor.poolID]
        case .l7Policy(let policy):
            return [
                "load_balancer_id": loadBalancerID, "listener_id": policy.listenerID,
                "position": policy.position ?? 1, "redirect_pool_id": policy.redirectPoolID,
            ]
        case .l7Rule(let rule):
            return ["load_balancer_id": loadBalancerID, "l7policy_id": rule.l7PolicyID]
        }
    }

    private static func body(_ resource: Resource) throws -> String {
        switch resource {
        case .loadBalancer(let value): try JSON.encode(value)
        case .listener(let value): try JSON.encode(value)
        case .pool(let value): try JSON.encode(value)
        case .member(let value): try JSON.encode(value)
        case .healthMonitor(let value): try JSON.encode(value)
        case .l7Policy(let value): try JSON.encode(value)
        case .l7Rule(let value): try JSON.encode(value)
        }
    }

    private static func enabled(_ resource: Resource) -> Bool {
        switch resource {
        case .loadBalancer(let value): value.adminStateUp
        case .listener(let value): value.adminStateUp
        case .pool(let value): value.adminStateUp
        case .member(let value): value.adminStateUp
        case .healthMonitor(let value): value.adminStateUp
        case .l7Policy(let value): value.adminStateUp
        case .l7Rule(let value): value.adminStateUp
        }
    }

    private static func createdAt(_ resource: Resource) -> Date {
        switch resource {
        case .loadBalancer(let value): value.createdAt
        case .listener(let value): value.createdAt
        case .pool(let value): value.createdAt
        case .member(let value): value.createdAt
        case .healthMonitor(let value): value.createdAt
        case .l7Policy(let value): value.createdAt
        case .l7Rule(let value): value.createdAt
        }
    }

    static func insert(_ resource: Resource, loadBalancerID: String, in db: Database) throws {
        var values = columns(resource, loadBalancerID: loadBalancerID)
        values["id"] = resource.ref.id
        values["project_id"] = resource.projectID
        values["provisioning_status"] = resource.provisioningStatus.rawValue
        values["operating_status"] = resource.operatingStatus.rawValue
        values["enabled"] = enabled(resource)
        values["created_at"] = createdAt(resource).storage
        values["body"] = try body(resource)
        let names = values.keys.sorted()
        try db.execute(
            sql:
                "INSERT INTO \(resource.ref.kind.table) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))",
            arguments: StatementArguments(names.map { values[$0]! }))
    }

    /// Rewrites every column but `id`, `project_id` and `created_at`.
    static func update(_ resource: Resource, loadBalancerID: String, now: Date, in db: Database) throws {
        var values = columns(resource, loadBalancerID: loadBalancerID)
        values["provisioning_status"] = resource.provisioningStatus.rawValue
        values["operating_status"] = resource.operatingStatus.rawValue
        values["enabled"] = enabled(resource)
        values["updated_at"] = now.storage
        values["body"] = try body(resource)
        let names = values.keys.sorted()
        try db.execute(
            sql:
                "UPDATE \(resource.ref.kind.table) SET \(names.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?",
            arguments: StatementArguments(names.map { values[$0]! } + [resource.ref.id]))
    }

    static func fetch(_ ref: ResourceRef, in db: Database) throws -> Resource? {
        try Row.fetchOne(db, sql: "SELECT * FROM \(ref.kind.table) WHERE id = ?", arguments: [ref.id])
            .map { try decode(ref.kind, $0) }
    }

    static func fetchAll(
        _ kind: ResourceKind, where condition: String = "1", arguments: StatementArguments = [], in db: Database
    ) throws -> [Resource] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM \(kind.table) WHERE \(condition) ORDER BY created_at, id", arguments: arguments
        )
        .map { try decode(kind, $0) }
    }

    /// Decodes the JSON body and lays the authoritative columns over it.
    static func decode(_ kind: ResourceKind, _ row: Row) throws -> Resource {
        func overlaid<T: StoredResource>(_ type: T.Type) throws -> T {
            var value = try JSON.decode(T.self, from: row["body"])
            value.provisioningStatus = ProvisioningStatus(rawValue: row["provisioning_status"]) ?? .error
            value.operatingStatus = OperatingStatus(rawValue: row["operating_status"]) ?? .offline
            value.updatedAt = (row["updated_at"] as Double?).map(Date.init(storage:))
            return value
        }
        switch kind {
        case .loadBalancer:
            var value = try overlaid(LoadBalancer.self)
            value.vipAddress = row["vip_address"]
            return .loadBalancer(value)
        case .listener:
            var value = try overlaid(Listener.self)
            value.defaultPoolID = row["default_pool_id"]
            return .listener(value)
        case .pool: return .pool(try overlaid(Pool.self))
        case .member: return .member(try overlaid(Member.self))
        case .healthMonitor: return .healthMonitor(try overlaid(HealthMonitor.self))
        case .l7Policy:
            var value = try overlaid(L7Policy.self)
            value.position = row["position"]
            value.redirectPoolID = row["redirect_pool_id"]
            return .l7Policy(value)
        case .l7Rule: return .l7Rule(try overlaid(L7Rule.self))
        case .amphora:
            throw DatabaseError(message: "amphorae are not API resources")
        }
    }

    /// Sets `PENDING_*` (or any status) on rows.
    static func setProvisioning(_ status: ProvisioningStatus, on refs: [ResourceRef], now: Date, in db: Database) throws
    {
        for ref in refs {
            try db.execute(
                sql: "UPDATE \(ref.kind.table) SET provisioning_status = ?, updated_at = ? WHERE id = ?",
                arguments: [status.rawValue, now.storage, ref.id])
        }
    }

    /// Renumbers a listener's L7 policies densely 1...N keeping their order.
    static func renumberPolicies(listenerID: String, in db: Database) throws {
        let ids = try String.fetchAll(
            db, sql: "SELECT id FROM l7policy WHERE listener_id = ? ORDER BY position, created_at, id",
            arguments: [listenerID])
        for (index, id) in ids.enumerated() {
            try db.execute(sql: "UPDATE l7policy SET position = ? WHERE id = ?", arguments: [index + 1, id])
        }
    }
}

/// The columns every resource table holds outside the JSON body.
protocol StoredResource: Decodable {
    var provisioningStatus: ProvisioningStatus { get set }
    var operatingStatus: OperatingStatus { get set }
    var updatedAt: Date? { get set }
}

extension LoadBalancer: StoredResource {}
extension Listener: StoredResource {}
extension Pool: StoredResource {}
extension Member: StoredResource {}
extension HealthMonitor: StoredResource {}
extension L7Policy: StoredResource {}
extension L7Rule: StoredResource {}
