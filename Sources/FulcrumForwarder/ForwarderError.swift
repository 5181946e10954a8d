/// Why the forwarder could not listen on a floating IP or reach a VIP.
public struct ForwarderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failure class.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case namespaceUnavailable, socketFailed, connectFailed, connectTimedOut, bindFailed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The network namespace cannot be opened or entered (missing path, no CAP_SYS_ADMIN, …).
        public static let namespaceUnavailable = Code(.namespaceUnavailable)
        /// No socket could be created.
        public static let socketFailed = Code(.socketFailed)
        /// The VIP refused the connection or is unreachable.
        public static let connectFailed = Code(.connectFailed)
        /// The VIP did not answer within the connect timeout.
        public static let connectTimedOut = Code(.connectTimedOut)
        /// The floating address and port cannot be listened on (in use, not local, privileged …).
        public static let bindFailed = Code(.bindFailed)

        public var description: String { base.rawValue }
    }

    /// The failure class.
    public var code: Code
    /// What failed, with the path or address concerned.
    public var message: String
    /// The C `errno`, when a system call failed.
    public var errno: Int32?

    /// Creates an error.
    public init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    public var description: String { "\(code): \(message)" }
}
