/// Why a compute operation failed.
public struct ComputeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failure class.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case notFound, alreadyExists, invalidSpec, connectionFailed, noCapacity, operationFailed, fileError
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No instance for that amphora id.
        public static let notFound = Code(.notFound)
        /// An instance for that amphora id already exists.
        public static let alreadyExists = Code(.alreadyExists)
        /// The spec is malformed (see `AmphoraSpec.problems()`), or the hypervisor rejected its definition.
        public static let invalidSpec = Code(.invalidSpec)
        /// The hypervisor could not be reached.
        public static let connectionFailed = Code(.connectionFailed)
        /// No host can take the instance (placement, anti-affinity).
        public static let noCapacity = Code(.noCapacity)
        /// The hypervisor refused or failed the operation.
        public static let operationFailed = Code(.operationFailed)
        /// A per-amphora file (initramfs copy, console log) could not be written or removed.
        public static let fileError = Code(.fileError)

        public var description: String { base.rawValue }
    }

    /// The failure class.
    public var code: Code
    /// What went wrong, for logs and operators.
    public var message: String
    /// The amphora concerned, if any.
    public var amphoraID: String?
    /// The host (URI) concerned, if any.
    public var host: String?
    /// The underlying error as text (libvirt's message and error number, errno …), if any.
    public var underlying: String?

    /// Creates a compute error.
    public init(
        _ code: Code, _ message: String, amphoraID: String? = nil, host: String? = nil, underlying: String? = nil
    ) {
        self.code = code
        self.message = message
        self.amphoraID = amphoraID
        self.host = host
        self.underlying = underlying
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let amphoraID { text += " (amphora \(amphoraID))" }
        if let host { text += " [\(host)]" }
        if let underlying { text += ": \(underlying)" }
        return text
    }
}
