import CFulcrumNetns
public import FulcrumModel
import Glibc
public import NIOCore
public import NIOPosix

/// Connects to VIPs inside another network namespace (the lab's `/run/netns/fulcrum-lab`) from a process that
/// runs in its own. A socket belongs to the namespace it was created in, so on a thread of `threadPool` it
/// enters the target namespace (`setns`, which needs CAP_SYS_ADMIN), creates the socket, returns the thread to
/// the process's namespace (an fd of `/proc/self/ns/net` opened at init), connects with a timeout and hands
/// the connected socket to NIO. Only this connector may use `threadPool`: its threads change namespace.
public final class NamespaceUpstreamConnector: UpstreamConnector {
    /// The namespace file, e.g. `/run/netns/fulcrum-lab`. It is opened for every connection, so a namespace
    /// that is re-created (lab down and up) is followed.
    public let namespacePath: String
    /// The longest wait for the VIP to accept.
    public let connectTimeout: Duration
    private let threadPool: NIOThreadPool
    /// `/proc/self/ns/net`, open for the connector's lifetime; immutable, so sharing it is safe.
    private let ownNamespace: CInt

    /// Creates the connector; `threadPool` must be started and must serve no one else.
    ///
    /// - Throws: `ForwarderError` (`.namespaceUnavailable`) when the process's own namespace cannot be opened.
    public init(namespacePath: String, connectTimeout: Duration = .seconds(5), threadPool: NIOThreadPool) throws {
        let own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)
        guard own >= 0 else {
            throw ForwarderError(
                .namespaceUnavailable, "cannot open /proc/self/ns/net: \(Self.describe(errno))", errno: errno)
        }
        self.namespacePath = namespacePath
        self.connectTimeout = connectTimeout
        self.threadPool = threadPool
        self.ownNamespace = own
    }

    deinit { close(ownNamespace) }

    /// Checks that the namespace file can be opened (a start-up diagnostic; entering it is tried per connection).
    public func checkNamespace() throws {
        let fd = open(namespacePath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw namespaceError("cannot open network namespace", errno) }
        close(fd)
    }

    public func connect(
        to address: IPv4Address, port: Int, on eventLoop: any EventLoop,
        channelInitializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) async throws -> any Channel {
        let fd = try await threadPool.runIfActive { try self.connectedSocket(to: address, port: port) }
        // From here NIO owns the descriptor (it closes it with the channel, also when registration fails).
        return try await ClientBootstrap(group: eventLoop)
            .channelOption(.autoRead, value: false)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer(channelInitializer)
            .withConnectedSocket(fd).get()
    }

    /// Blocking: a socket created in the target namespace, connected to `address:port`. Runs on `threadPool`.
    private func connectedSocket(to address: IPv4Address, port: Int) throws -> CInt {
        let fd = try socketInNamespace()
        do {
            try connect(fd, to: address, port: port)
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// Enters the namespace, creates a non-blocking TCP socket, and always returns to the process's namespace.
    private func socketInNamespace() throws -> CInt {
        let target = open(namespacePath, O_RDONLY | O_CLOEXEC)
        guard target >= 0 else { throw namespaceError("cannot open network namespace", errno) }
        defer { close(target) }
        guard cfulcrum_enter_network_namespace(target) == 0 else {
            let code = errno
            throw namespaceError(
                "cannot enter network namespace", code, hint: code == EPERM ? " (setns needs CAP_SYS_ADMIN)" : "")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
        let socketErrno = errno
        guard cfulcrum_enter_network_namespace(ownNamespace) == 0 else {
            // The thread stays in the target namespace; every job on this pool enters it explicitly first,
            // so the only harm is this connection.
            let restoreErrno = errno
            if fd >= 0 { close(fd) }
            throw ForwarderError(
                .namespaceUnavailable,
                "cannot return to the process's network namespace: \(Self.describe(restoreErrno))",
                errno: restoreErrno)
        }
        guard fd >= 0 else {
            throw ForwarderError(
                .socketFailed, "cannot create a socket in \(namespacePath): \(Self.describe(socketErrno))",
                errno: socketErrno)
        }
        return fd
    }

    /// A non-blocking connect, waited for with `poll` up to `connectTimeout`.
    private func connect(_ fd: CInt, to address: IPv4Address, port: Int) throws {
        var peer = sockaddr_in()
        peer.sin_family = sa_family_t(AF_INET)
        peer.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        peer.sin_addr = in_addr(s_addr: address.rawValue.bigEndian)
        let started = withUnsafePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if started == 0 { return }
        guard errno == EINPROGRESS else { throw connectError(address, port, errno) }
        let timeout = connectTimeout.components
        let milliseconds = Int32(clamping: timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000)
        var pending = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        var ready: Int32
        repeat {
            ready = poll(&pending, 1, milliseconds)
        } while ready < 0 && errno == EINTR
        if ready < 0 { throw connectError(address, port, errno) }
        if ready == 0 {
            throw ForwarderError(
                .connectTimedOut, "\(address):\(port) in \(namespacePath) did not accept within \(connectTimeout)")
        }
        var failure: CInt = 0
        var length = socklen_t(MemoryLayout<CInt>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length) == 0 else {
            throw connectError(address, port, errno)
        }
        if failure != 0 { throw connectError(address, port, failure) }
    }

    private func namespaceError(_ what: String, _ code: CInt, hint: String = "") -> ForwarderError {
        ForwarderError(.namespaceUnavailable, "\(what) \(namespacePath): \(Self.describe(code))\(hint)", errno: code)
    }

    private func connectError(_ address: IPv4Address, _ port: Int, _ code: CInt) -> ForwarderError {
        ForwarderError(
            .connectFailed, "cannot connect to \(address):\(port) in \(namespacePath): \(Self.describe(code))",
            errno: code)
    }

    private static func describe(_ code: CInt) -> String {
        String(cString: strerror(code))
    }
}
