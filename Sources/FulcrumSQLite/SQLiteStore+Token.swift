import Foundation
public import FulcrumStore
import GRDB

extension SQLiteStore: TokenStore {
    public func insertToken(_ token: APIToken) async throws {
        let roles = token.roles.map(\.rawValue).sorted().joined(separator: ",")
        try await database.immediateWrite { db in
            try db.execute(
                sql:
                    "INSERT INTO api_token (token_hash, project_id, roles, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [token.hash, token.projectID, roles, token.expiresAt?.storage, token.createdAt.storage])
        }
    }

    public func token(hash: String) async throws -> APIToken? {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_token WHERE token_hash = ?", arguments: [hash])
            else { return nil }
            let roleText: String = row["roles"]
            let roles = Set(roleText.split(separator: ",").compactMap { APIRole(rawValue: String($0)) })
            let expires: Double? = row["expires_at"]
            let created: Double = row["created_at"]
            return APIToken(
                hash: row["token_hash"], projectID: row["project_id"], roles: roles,
                expiresAt: expires.map { Date(timeIntervalSince1970: $0) },
                createdAt: Date(timeIntervalSince1970: created))
        }
    }
}
