public import FulcrumModel

/// Why a store operation failed. The API maps `code` to Octavia's status codes in one place.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failure class.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case notFound, immutable, conflict, invalid, quotaExceeded, addressUnavailable, schemaOutdated
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The object does not exist (or belongs to another project): 404.
        public static let notFound = Code(.notFound)
        /// The object or a parent is `PENDING_*` or otherwise not in a state that allows the call: 409.
        public static let immutable = Code(.immutable)
        /// A uniqueness rule was broken (duplicate port, member, monitor, default pool …): 409.
        public static let conflict = Code(.conflict)
        /// A cross-object rule was broken (e.g. pool on another load balancer): 400.
        public static let invalid = Code(.invalid)
        /// The project's quota is met: 403.
        public static let quotaExceeded = Code(.quotaExceeded)
        /// No free address, or the requested address is taken or outside the subnet: 409/400.
        public static let addressUnavailable = Code(.addressUnavailable)
        /// The database schema is older than this build: run `fulcrum db upgrade`.
        public static let schemaOutdated = Code(.schemaOutdated)
        /// A task lease was lost (expired and claimed by someone else).

        public var description: String { base.rawValue }
    }

    /// The failure class.
    public var code: Code
    /// A message fit for an API client, in Octavia's words where Octavia has some.
    public var message: String
    /// The object concerned, if any.
    public var resource: ResourceRef?

    /// Creates a store error.
    public init(_ code: Code, _ message: String, resource: ResourceRef? = nil) {
        self.code = code
        self.message = message
        self.resource = resource
    }

    public var description: String { "\(code): \(message)" }

    /// "<Resource> <id> not found."
    public static func notFound(_ ref: ResourceRef) -> StoreError {
        StoreError(.notFound, "\(ref.kind.displayName) \(ref.id) not found.", resource: ref)
    }

    /// "<Resource> <id> is immutable and cannot be updated."
    public static func immutable(_ ref: ResourceRef) -> StoreError {
        StoreError(.immutable, "\(ref.kind.displayName) \(ref.id) is immutable and cannot be updated.", resource: ref)
    }
}
