public import Hummingbird

/// The request context of every API route: Hummingbird's core storage plus the caller's identity,
/// set by `AuthMiddleware`.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller (`nil` only on the unauthenticated version document).
    public var identity: Identity?

    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// Request bodies above this size are refused with 413.
    public var maxUploadSize: Int { APIServer.maxBodySize }

    /// The caller, or 401.
    func caller() throws -> Identity {
        guard let identity else { throw APIError.unauthorized }
        return identity
    }
}
