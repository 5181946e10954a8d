public import FulcrumModel
public import FulcrumStore
import GRDB

extension SQLiteStore: QuotaStore {
    public func quota(projectID: String) async throws -> Quota {
        try await database.read { db in try Self.explicitQuota(projectID: projectID, in: db) }
    }

    public func effectiveQuota(projectID: String) async throws -> Quota {
        let explicit = try await quota(projectID: projectID)
        var limits: [QuotaResource: Int] = [:]
        for resource in QuotaResource.allCases {
            limits[resource] = explicit.effectiveLimit(resource, defaults: defaultQuota)
        }
        return Quota(limits: limits)
    }

    public func setQuota(projectID: String, _ quota: Quota) async throws -> Quota {
        for (resource, limit) in quota.limits where !Quota.validRange.contains(limit) {
            throw StoreError(
                .invalid,
                "Invalid input for field/attribute \(resource.rawValue). Value: '\(limit)'. Value must be between -1 and 2000000000."
            )
        }
        return try await database.immediateWrite { db in
            for (resource, limit) in quota.limits {
                try db.execute(
                    sql: """
                        INSERT INTO quotas (project_id, resource, quota_limit) VALUES (?, ?, ?)
                        ON CONFLICT (project_id, resource) DO UPDATE SET quota_limit = excluded.quota_limit
                        """,
                    arguments: [projectID, resource.rawValue, limit])
            }
            return try Self.explicitQuota(projectID: projectID, in: db)
        }
    }

    public func resetQuota(projectID: String) async throws {
        try await database.immediateWrite { db in
            try db.execute(sql: "DELETE FROM quotas WHERE project_id = ?", arguments: [projectID])
        }
    }

    public func quotas() async throws -> [String: Quota] {
        try await database.read { db in
            var result: [String: Quota] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM quotas") {
                guard let resource = QuotaResource(rawValue: row["resource"]) else { continue }
                result[row["project_id"], default: Quota()][resource] = row["quota_limit"]
            }
            return result
        }
    }

    public func usage(projectID: String) async throws -> [QuotaResource: Int] {
        let defaults = defaultQuota
        let now = clock.now()
        return try await database.read { db in
            let planner = WritePlanner(db: db, now: now, defaultQuota: defaults)
            var usage: [QuotaResource: Int] = [:]
            for resource in QuotaResource.allCases {
                usage[resource] = try planner.usage(projectID: projectID, resource)
            }
            return usage
        }
    }

    static func explicitQuota(projectID: String, in db: Database) throws -> Quota {
        var quota = Quota()
        for row in try Row.fetchAll(
            db, sql: "SELECT resource, quota_limit FROM quotas WHERE project_id = ?", arguments: [projectID])
        {
            if let resource = QuotaResource(rawValue: row["resource"]) { quota[resource] = row["quota_limit"] }
        }
        return quota
    }
}
