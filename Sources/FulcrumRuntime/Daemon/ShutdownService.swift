public import ServiceLifecycle

/// Runs `action` when the process shuts down gracefully (e.g. closing an HTTP client's pool). Put it first in
/// the group: services stop in reverse order, so it runs after the services that use the resource.
public struct ShutdownService: Service, CustomStringConvertible {
    let name: String
    let action: @Sendable () async throws -> Void

    /// Creates the service.
    public init(name: String, action: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.action = action
    }

    public var description: String { "ShutdownService(\(name))" }

    public func run() async throws {
        try? await gracefulShutdown()
        try await action()
    }
}
