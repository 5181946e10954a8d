public import Foundation

/// A pool's health monitor (Octavia §1.5).
public struct HealthMonitor: Sendable, Codable, Hashable, Identifiable {
    /// Octavia's defaults.
    public enum Defaults {
        public static let maxRetriesDown = 3
        public static let httpMethod = HTTPMethod.get
        public static let urlPath = "/"
        public static let expectedCodes = "200"
        /// Minimum delay of a UDP-CONNECT monitor, seconds.
        public static let udpConnectMinDelay = 3
    }

    public var id: String
    public var projectID: String
    public var poolID: String
    public var name: String
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var type: HealthMonitorType
    /// Seconds between checks.
    public var delay: Int
    /// Seconds a check may take.
    public var timeout: Int
    /// Successes to go UP (haproxy `rise`), 1...10.
    public var maxRetries: Int
    /// Failures to go DOWN (haproxy `fall`), 1...10.
    public var maxRetriesDown: Int
    public var httpMethod: HTTPMethod?
    public var urlPath: String?
    public var expectedCodes: String?
    public var httpVersion: Double?
    public var domainName: String?
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date?

    /// Creates a health monitor; HTTP fields default for HTTP/HTTPS monitors only.
    public init(
        id: String,
        projectID: String,
        poolID: String,
        name: String = "",
        adminStateUp: Bool = true,
        provisioningStatus: ProvisioningStatus = .pendingCreate,
        operatingStatus: OperatingStatus = .offline,
        type: HealthMonitorType,
        delay: Int,
        timeout: Int,
        maxRetries: Int,
        maxRetriesDown: Int = Defaults.maxRetriesDown,
        httpMethod: HTTPMethod? = nil,
        urlPath: String? = nil,
        expectedCodes: String? = nil,
        httpVersion: Double? = nil,
        domainName: String? = nil,
        tags: [String] = [],
        createdAt: Date = Date(),
        updatedAt: Date? = nil
    ) {
        let isHTTP = type == .http || type == .https
        self.id = id
        self.projectID = projectID
        self.poolID = poolID
        self.name = name
        self.adminStateUp = adminStateUp
        self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus
        self.type = type
        self.delay = delay
        self.timeout = timeout
        self.maxRetries = maxRetries
        self.maxRetriesDown = maxRetriesDown
        self.httpMethod = httpMethod ?? (isHTTP ? Defaults.httpMethod : nil)
        self.urlPath = urlPath ?? (isHTTP ? Defaults.urlPath : nil)
        self.expectedCodes = expectedCodes ?? (isHTTP ? Defaults.expectedCodes : nil)
        self.httpVersion = httpVersion
        self.domainName = domainName
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
