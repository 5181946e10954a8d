import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension VIPOwner {
    /// A non-blocking IPv4 UDP socket bound to `host:port` and close-on-exec from birth.
    ///
    /// NIO's own `bind` makes sockets without `SOCK_CLOEXEC`, so a child spawned meanwhile (`ip`, `arping`, or
    /// any process a host test runs) would inherit the descriptor and keep the address bound after the owner
    /// closed it, and a restarted owner could not bind again. The settings allow IPv4 only.
    static func boundSocket(host: String, port: Int) throws(AgentError) -> CInt {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
        #elseif canImport(Musl)
        let fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)
        #else
        let fd = socket(AF_INET, SOCK_DGRAM, 0)
        if fd >= 0 {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        #endif
        guard fd >= 0 else { throw AgentError(.socketFailed, "vrrp socket: errno \(errno)") }
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: host, port: port)
        } catch {
            close(fd)
            throw AgentError(.socketFailed, "vrrp socket: \(host) is not a numeric address")
        }
        let bound = address.withSockAddr { bind(fd, $0, socklen_t($1)) }
        guard bound == 0 else {
            let error = errno
            close(fd)
            throw AgentError(.socketFailed, "vrrp socket: bind \(host):\(port) failed, errno \(error)")
        }
        return fd
    }
}
