public import Foundation

/// A role an API token grants (Octavia's RBAC personas, reduced to three).
public enum APIRole: String, Sendable, Codable, CaseIterable, Hashable {
    /// Sees and acts on every project.
    case admin
    /// Reads and writes its own project's objects.
    case member
    /// Reads its own project's objects.
    case observer
}

/// An API token as stored: only the SHA-256 hex digest of the token, never the token itself.
public struct APIToken: Sendable, Hashable {
    /// Lower-case hex SHA-256 of the token text.
    public var hash: String
    /// The project the token acts for.
    public var projectID: String
    /// The roles it grants.
    public var roles: Set<APIRole>
    /// When it stops working; `nil` for never.
    public var expiresAt: Date?
    /// When it was minted.
    public var createdAt: Date

    /// Creates a token record.
    public init(hash: String, projectID: String, roles: Set<APIRole>, expiresAt: Date?, createdAt: Date) {
        self.hash = hash
        self.projectID = projectID
        self.roles = roles
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }
}

/// API tokens, looked up by hash on every request.
public protocol TokenStore: Sendable {
    /// Stores a new token (its hash must be unique).
    func insertToken(_ token: APIToken) async throws
    /// The token with this hash, expired or not; `nil` when unknown.
    func token(hash: String) async throws -> APIToken?
}
