extension ListenerProtocol {
    /// The L4 family a listener port is unique within per load balancer (reference §1.2):
    /// `"tcp"` for TCP, HTTP, HTTPS, TERMINATED_HTTPS and PROMETHEUS, `"udp"` for UDP and
    /// `"sctp"` for SCTP. The store keys its port-uniqueness index on this value.
    public var l4Family: String {
        switch self {
        case .tcp, .http, .https, .terminatedHTTPS, .prometheus: "tcp"
        case .udp: "udp"
        case .sctp: "sctp"
        }
    }

    /// Pool protocols a listener of this protocol may use (Octavia's
    /// `VALID_LISTENER_POOL_PROTOCOL_MAP`, reference §1.8).
    public var allowedPoolProtocols: Set<PoolProtocol> {
        switch self {
        case .tcp: [.http, .https, .proxy, .proxyV2, .tcp]
        case .http: [.http, .proxy, .proxyV2]
        case .https: [.https, .proxy, .proxyV2, .tcp]
        case .terminatedHTTPS: [.http, .proxy, .proxyV2]
        case .udp: [.udp]
        case .sctp: [.sctp]
        case .prometheus: []
        }
    }

    /// Whether L7 policies may be attached (HTTP and TERMINATED_HTTPS only).
    public var supportsL7Policies: Bool {
        self == .http || self == .terminatedHTTPS
    }

    /// Whether `insert_headers` is allowed (HTTP and TERMINATED_HTTPS only).
    public var supportsHeaderInsertion: Bool {
        self == .http || self == .terminatedHTTPS
    }
}

extension PoolProtocol {
    /// Whether a pool of this protocol may serve a listener of `listenerProtocol` (§1.8).
    public func isCompatible(with listenerProtocol: ListenerProtocol) -> Bool {
        listenerProtocol.allowedPoolProtocols.contains(self)
    }

    /// Whether this is a UDP or SCTP pool (LVS-backed, with its own persistence and monitor rules).
    public var isLVS: Bool {
        self == .udp || self == .sctp
    }

    /// Health-monitor types this pool accepts (reference §1.5): UDP/SCTP pools take
    /// UDP-CONNECT, SCTP, TCP and HTTP; other pools take everything but UDP-CONNECT and SCTP.
    public var allowedHealthMonitorTypes: Set<HealthMonitorType> {
        if isLVS { return [.udpConnect, .sctp, .tcp, .http] }
        return Set(HealthMonitorType.allCases).subtracting([.udpConnect, .sctp])
    }
}

extension HealthMonitorType {
    /// Whether a monitor of this type may watch a pool of `poolProtocol` (§1.5).
    public func isAllowed(for poolProtocol: PoolProtocol) -> Bool {
        poolProtocol.allowedHealthMonitorTypes.contains(self)
    }

    /// Whether the HTTP-only fields (`http_method`, `url_path`, `expected_codes`,
    /// `http_version`, `domain_name`) apply.
    public var isHTTP: Bool {
        self == .http || self == .https
    }
}
