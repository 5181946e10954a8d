#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How a PING health monitor probes a member. Octavia runs `ping` from HAProxy's external check; the engine
/// sends the ICMP echo itself when the process may open an ICMP socket, and otherwise falls back to a TCP
/// connect to the member's (monitor) port, like the engine did before it had ICMP.
public enum PingMethod: String, Sendable, Hashable, CaseIterable {
    /// An unprivileged "ping socket" (`SOCK_DGRAM`, `IPPROTO_ICMP`): allowed when the process's group is in
    /// `net.ipv4.ping_group_range`.
    case icmpDatagram = "icmp-datagram"
    /// A raw ICMP socket: needs root or `CAP_NET_RAW`.
    case icmpRaw = "icmp-raw"
    /// No ICMP socket could be opened: a TCP connect to the member port.
    case tcpConnect = "tcp-connect"

    /// The best method this process may use, found by opening (and closing) a socket of each ICMP kind.
    public static func detect() -> PingMethod {
        if ICMPSocket.canOpen(raw: false) { return .icmpDatagram }
        if ICMPSocket.canOpen(raw: true) { return .icmpRaw }
        return .tcpConnect
    }
}

/// Opens ICMP (IPv4) and ICMPv6 sockets, non-blocking and close-on-exec, for ``PingMethod`` and the ICMP probe.
enum ICMPSocket {
    /// A new socket's descriptor, or nil when the kernel refuses (no permission, no ICMP or IPv6 support).
    static func open(raw: Bool, ipv6: Bool = false) -> CInt? {
        #if canImport(Glibc)
        let kind = CInt(raw ? SOCK_RAW.rawValue : SOCK_DGRAM.rawValue)
        let flags = CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        #else
        let kind = raw ? SOCK_RAW : SOCK_DGRAM
        let flags = SOCK_NONBLOCK | SOCK_CLOEXEC
        #endif
        let fd =
            ipv6
            ? socket(AF_INET6, kind | flags, CInt(IPPROTO_ICMPV6)) : socket(AF_INET, kind | flags, CInt(IPPROTO_ICMP))
        return fd >= 0 ? fd : nil
    }

    /// Whether ICMPv6 sockets of the kind `raw` says can be opened here (checked once per kind).
    static func ipv6Available(raw: Bool) -> Bool { raw ? ipv6Raw : ipv6Datagram }

    private static let ipv6Datagram = canOpen(raw: false, ipv6: true)
    private static let ipv6Raw = canOpen(raw: true, ipv6: true)

    /// Whether such a socket may be opened here (one is opened and closed).
    static func canOpen(raw: Bool, ipv6: Bool = false) -> Bool {
        guard let fd = open(raw: raw, ipv6: ipv6) else { return false }
        _ = close(fd)
        return true
    }
}
