public import FulcrumModel

/// A health monitor as Octavia returns it (`{"healthmonitor": …}`).
public struct HealthMonitorBody: APIBody, Hashable {
    public var id: String
    public var name: String
    public var adminStateUp: Bool
    public var projectID: String
    public var tenantID: String
    public var provisioningStatus: String
    public var operatingStatus: String
    public var type: String
    public var delay: Int
    public var timeout: Int
    public var maxRetries: Int
    public var maxRetriesDown: Int
    public var httpMethod: String?
    public var urlPath: String?
    public var expectedCodes: String?
    public var httpVersion: Double?
    public var domainName: String?
    public var pools: [IDRef]
    public var tags: [String]
    public var createdAt: String
    public var updatedAt: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, type, delay, timeout, pools, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case provisioningStatus = "provisioning_status"
        case operatingStatus = "operating_status"
        case maxRetries = "max_retries"
        case maxRetriesDown = "max_retries_down"
        case httpMethod = "http_method"
        case urlPath = "url_path"
        case expectedCodes = "expected_codes"
        case httpVersion = "http_version"
        case domainName = "domain_name"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public static let attributeNames = CodingKeys.allCases.map(\.rawValue)

    /// The body of `monitor`.
    public init(_ monitor: HealthMonitor) {
        id = monitor.id
        name = monitor.name
        adminStateUp = monitor.adminStateUp
        projectID = monitor.projectID
        tenantID = monitor.projectID
        provisioningStatus = monitor.provisioningStatus.rawValue
        operatingStatus = monitor.operatingStatus.rawValue
        type = monitor.type.rawValue
        delay = monitor.delay
        timeout = monitor.timeout
        maxRetries = monitor.maxRetries
        maxRetriesDown = monitor.maxRetriesDown
        httpMethod = monitor.httpMethod?.rawValue
        urlPath = monitor.urlPath
        expectedCodes = monitor.expectedCodes
        httpVersion = monitor.httpVersion
        domainName = monitor.domainName
        pools = [IDRef(monitor.poolID)]
        tags = monitor.tags
        createdAt = APIDate.format(monitor.createdAt)
        updatedAt = APIDate.format(monitor.updatedAt)
    }
}

/// The attributes of a health-monitor POST or PUT (`{"healthmonitor": …}`).
public struct HealthMonitorWrite: Codable, Sendable, Hashable {
    public var name: String?
    public var adminStateUp: Bool?
    public var projectID: String?
    public var tenantID: String?
    public var poolID: String?
    public var type: HealthMonitorType?
    public var delay: Int?
    public var timeout: Int?
    public var maxRetries: Int?
    public var maxRetriesDown: Int?
    public var httpMethod: HTTPMethod?
    public var urlPath: String?
    public var expectedCodes: String?
    public var httpVersion: Double?
    public var domainName: String?
    public var tags: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, type, delay, timeout, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case poolID = "pool_id"
        case maxRetries = "max_retries"
        case maxRetriesDown = "max_retries_down"
        case httpMethod = "http_method"
        case urlPath = "url_path"
        case expectedCodes = "expected_codes"
        case httpVersion = "http_version"
        case domainName = "domain_name"
    }

    /// Attributes a POST may carry.
    public static let createAttributes = Set(CodingKeys.allCases.map(\.rawValue))
    /// Attributes a PUT may carry.
    public static let updateAttributes = createAttributes.subtracting([
        "project_id", "tenant_id", "pool_id", "type",
    ])
    /// Attributes that may not be `null` on PUT (Octavia: 400).
    public static let notNullable: Set<String> = ["delay", "timeout", "max_retries"]

    /// Creates an empty write.
    public init() {}

    /// `monitor` with the given attributes applied; `nulls` reset to defaults (HTTP fields only for HTTP types).
    public func apply(to monitor: HealthMonitor, nulls: Set<String>) -> HealthMonitor {
        typealias Defaults = HealthMonitor.Defaults
        let isHTTP = monitor.type == .http || monitor.type == .https
        var m = monitor
        m.name = name ?? (nulls.contains("name") ? "" : m.name)
        m.adminStateUp = adminStateUp ?? (nulls.contains("admin_state_up") ? false : m.adminStateUp)
        m.delay = delay ?? m.delay
        m.timeout = timeout ?? m.timeout
        m.maxRetries = maxRetries ?? m.maxRetries
        m.maxRetriesDown =
            maxRetriesDown ?? (nulls.contains("max_retries_down") ? Defaults.maxRetriesDown : m.maxRetriesDown)
        m.httpMethod =
            httpMethod ?? (nulls.contains("http_method") ? (isHTTP ? Defaults.httpMethod : nil) : m.httpMethod)
        m.urlPath = urlPath ?? (nulls.contains("url_path") ? (isHTTP ? Defaults.urlPath : nil) : m.urlPath)
        m.expectedCodes =
            expectedCodes
            ?? (nulls.contains("expected_codes") ? (isHTTP ? Defaults.expectedCodes : nil) : m.expectedCodes)
        m.httpVersion = httpVersion ?? (nulls.contains("http_version") ? nil : m.httpVersion)
        m.domainName = domainName ?? (nulls.contains("domain_name") ? nil : m.domainName)
        m.tags = tags ?? (nulls.contains("tags") ? [] : m.tags)
        return m
    }

    /// A new monitor with Octavia's defaults (required attributes checked by the caller).
    public func makeMonitor(
        id: String, projectID: String, poolID: String, type: HealthMonitorType, delay: Int, timeout: Int,
        maxRetries: Int
    ) -> HealthMonitor {
        let monitor = HealthMonitor(
            id: id, projectID: projectID, poolID: poolID, type: type, delay: delay, timeout: timeout,
            maxRetries: maxRetries, httpMethod: httpMethod, urlPath: urlPath, expectedCodes: expectedCodes)
        return apply(to: monitor, nulls: [])
    }
}
