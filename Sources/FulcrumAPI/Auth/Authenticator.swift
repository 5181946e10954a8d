public import Foundation
public import FulcrumStore
import HTTPTypes

/// Turns request headers into an `Identity`: `X-Auth-Token` looked up by hash (plus the configured admin
/// token), or, in `noauth` mode, Octavia's `X-Project-Id` / `X-Roles` headers. Tokens are never logged.
public struct Authenticator: Sendable {
    /// How requests are authenticated.
    public enum Strategy: Sendable {
        /// `X-Auth-Token`; `adminToken` (if set) is an admin of project `admin`.
        case token(adminToken: String?)
        /// Development only: the caller is whoever the headers say.
        case noauth
    }

    let strategy: Strategy
    let tokens: any TokenStore
    let adminTokenHash: String?
    let now: @Sendable () -> Date

    /// Creates an authenticator.
    public init(strategy: Strategy, tokens: any TokenStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.strategy = strategy
        self.tokens = tokens
        self.now = now
        if case .token(let admin?) = strategy, !admin.isEmpty {
            adminTokenHash = TokenDigest.hash(admin)
        } else {
            adminTokenHash = nil
        }
    }

    static let authToken = HTTPField.Name("X-Auth-Token")!
    static let projectHeader = HTTPField.Name("X-Project-Id")!
    static let rolesHeader = HTTPField.Name("X-Roles")!
    /// The project of the bootstrap admin token.
    public static let adminProject = "admin"

    /// The caller, or `APIError.unauthorized`.
    func identify(_ headers: HTTPFields) async throws -> Identity {
        switch strategy {
        case .noauth:
            let project = headers[Self.projectHeader].flatMap { $0.isEmpty ? nil : $0 } ?? "noauth"
            let roles = (headers[Self.rolesHeader] ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            var granted: Set<APIRole> = [.member]
            if roles.contains("admin") { granted.insert(.admin) }
            if roles.contains("observer") || roles.contains("reader"), !roles.contains("member") {
                granted = roles.contains("admin") ? [.admin] : [.observer]
            }
            return Identity(projectID: project, roles: granted)
        case .token:
            guard let token = headers[Self.authToken], !token.isEmpty else { throw APIError.unauthorized }
            let hash = TokenDigest.hash(token)
            if let adminTokenHash, hash == adminTokenHash {
                return Identity(projectID: Self.adminProject, roles: [.admin])
            }
            guard let stored = try await tokens.token(hash: hash) else { throw APIError.unauthorized }
            if let expiry = stored.expiresAt, expiry <= now() { throw APIError.unauthorized }
            return Identity(projectID: stored.projectID, roles: stored.roles)
        }
    }
}
