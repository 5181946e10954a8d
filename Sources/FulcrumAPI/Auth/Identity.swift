public import FulcrumStore

/// Who is calling: a project and its roles.
public struct Identity: Sendable, Hashable {
    /// The caller's project.
    public var projectID: String
    /// The caller's roles.
    public var roles: Set<APIRole>

    /// Creates an identity.
    public init(projectID: String, roles: Set<APIRole>) {
        self.projectID = projectID
        self.roles = roles
    }

    /// Admins see and act on every project.
    public var isAdmin: Bool { roles.contains(.admin) }
    /// Admins and members may write; observers only read.
    public var canWrite: Bool { roles.contains(.admin) || roles.contains(.member) }

    /// The project filter of a read: `nil` (all projects) for admins.
    public var scope: String? { isAdmin ? nil : projectID }

    /// The project a create acts for: an admin may name one in the body, others only their own.
    func projectForCreate(requested: String?) throws -> String {
        guard let requested, !requested.isEmpty, requested != projectID else { return projectID }
        guard isAdmin else { throw APIError.forbidden() }
        return requested
    }
}
