/// Listener protocols (Octavia `protocol` on a listener).
public enum ListenerProtocol: String, Sendable, Codable, CaseIterable, Hashable {
    case tcp = "TCP"
    case http = "HTTP"
    case https = "HTTPS"
    case terminatedHTTPS = "TERMINATED_HTTPS"
    case udp = "UDP"
    case sctp = "SCTP"
    case prometheus = "PROMETHEUS"
}

/// Pool protocols (Octavia `protocol` on a pool).
public enum PoolProtocol: String, Sendable, Codable, CaseIterable, Hashable {
    case tcp = "TCP"
    case http = "HTTP"
    case https = "HTTPS"
    case proxy = "PROXY"
    case proxyV2 = "PROXYV2"
    case udp = "UDP"
    case sctp = "SCTP"
}

/// Load-balancing algorithms.
public enum LBAlgorithm: String, Sendable, Codable, CaseIterable, Hashable {
    case roundRobin = "ROUND_ROBIN"
    case leastConnections = "LEAST_CONNECTIONS"
    case sourceIP = "SOURCE_IP"
    case sourceIPPort = "SOURCE_IP_PORT"
}

/// Session persistence types.
public enum SessionPersistenceType: String, Sendable, Codable, CaseIterable, Hashable {
    case sourceIP = "SOURCE_IP"
    case httpCookie = "HTTP_COOKIE"
    case appCookie = "APP_COOKIE"
}

/// Health monitor types.
public enum HealthMonitorType: String, Sendable, Codable, CaseIterable, Hashable {
    case http = "HTTP"
    case https = "HTTPS"
    case ping = "PING"
    case tcp = "TCP"
    case tlsHello = "TLS-HELLO"
    case udpConnect = "UDP-CONNECT"
    case sctp = "SCTP"
}

/// HTTP methods a health monitor may use.
public enum HTTPMethod: String, Sendable, Codable, CaseIterable, Hashable {
    case get = "GET", head = "HEAD", post = "POST", put = "PUT", delete = "DELETE"
    case trace = "TRACE", options = "OPTIONS", connect = "CONNECT", patch = "PATCH"
}

/// L7 policy actions.
public enum L7PolicyAction: String, Sendable, Codable, CaseIterable, Hashable {
    case reject = "REJECT"
    case redirectToURL = "REDIRECT_TO_URL"
    case redirectToPool = "REDIRECT_TO_POOL"
    case redirectPrefix = "REDIRECT_PREFIX"
}

/// L7 rule types.
public enum L7RuleType: String, Sendable, Codable, CaseIterable, Hashable {
    case hostName = "HOST_NAME"
    case path = "PATH"
    case fileType = "FILE_TYPE"
    case header = "HEADER"
    case cookie = "COOKIE"
    case sslConnHasCert = "SSL_CONN_HAS_CERT"
    case sslVerifyResult = "SSL_VERIFY_RESULT"
    case sslDNField = "SSL_DN_FIELD"
}

/// L7 rule comparison types.
public enum L7CompareType: String, Sendable, Codable, CaseIterable, Hashable {
    case regex = "REGEX"
    case startsWith = "STARTS_WITH"
    case endsWith = "ENDS_WITH"
    case contains = "CONTAINS"
    case equalTo = "EQUAL_TO"
}

/// Load-balancer topology.
public enum Topology: String, Sendable, Codable, CaseIterable, Hashable {
    case single = "SINGLE"
    case activeStandby = "ACTIVE_STANDBY"
}

/// Listener client authentication mode for TERMINATED_HTTPS.
public enum ClientAuthentication: String, Sendable, Codable, CaseIterable, Hashable {
    case none = "NONE"
    case optional = "OPTIONAL"
    case mandatory = "MANDATORY"
}

/// Amphora role within its load balancer.
public enum AmphoraRole: String, Sendable, Codable, CaseIterable, Hashable {
    case master = "MASTER"
    case backup = "BACKUP"
    case standalone = "STANDALONE"
}

/// Amphora lifecycle status.
public enum AmphoraStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case pendingCreate = "PENDING_CREATE"
    case booting = "BOOTING"
    case allocated = "ALLOCATED"
    case ready = "READY"
    case error = "ERROR"
    case pendingDelete = "PENDING_DELETE"
    case deleted = "DELETED"
    case failoverStopped = "FAILOVER_STOPPED"
}
