public import FulcrumModel

/// An L7 policy as Octavia returns it (`{"l7policy": …}`).
public struct L7PolicyBody: APIBody, Hashable {
    public var id: String
    public var name: String
    public var description: String
    public var adminStateUp: Bool
    public var projectID: String
    public var tenantID: String
    public var provisioningStatus: String
    public var operatingStatus: String
    public var listenerID: String
    public var action: String
    public var position: Int?
    public var redirectPoolID: String?
    public var redirectURL: String?
    public var redirectPrefix: String?
    public var redirectHTTPCode: Int?
    public var rules: [IDRef]
    public var tags: [String]
    public var createdAt: String
    public var updatedAt: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, description, action, position, rules, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case provisioningStatus = "provisioning_status"
        case operatingStatus = "operating_status"
        case listenerID = "listener_id"
        case redirectPoolID = "redirect_pool_id"
        case redirectURL = "redirect_url"
        case redirectPrefix = "redirect_prefix"
        case redirectHTTPCode = "redirect_http_code"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public static let attributeNames = CodingKeys.allCases.map(\.rawValue)

    /// The body of `policy` with its rules.
    public init(_ policy: L7Policy, rules: [String]) {
        id = policy.id
        name = policy.name
        description = policy.description
        adminStateUp = policy.adminStateUp
        projectID = policy.projectID
        tenantID = policy.projectID
        provisioningStatus = policy.provisioningStatus.rawValue
        operatingStatus = policy.operatingStatus.rawValue
        listenerID = policy.listenerID
        action = policy.action.rawValue
        position = policy.position
        redirectPoolID = policy.redirectPoolID
        redirectURL = policy.redirectURL
        redirectPrefix = policy.redirectPrefix
        redirectHTTPCode = policy.redirectHTTPCode
        self.rules = rules.map(IDRef.init)
        tags = policy.tags
        createdAt = APIDate.format(policy.createdAt)
        updatedAt = APIDate.format(policy.updatedAt)
    }
}

/// The attributes of an L7-policy POST or PUT (`{"l7policy": …}`).
public struct L7PolicyWrite: Codable, Sendable, Hashable {
    public var name: String?
    public var description: String?
    public var adminStateUp: Bool?
    public var projectID: String?
    public var tenantID: String?
    public var listenerID: String?
    public var action: L7PolicyAction?
    public var position: Int?
    public var redirectPoolID: String?
    public var redirectURL: String?
    public var redirectPrefix: String?
    public var redirectHTTPCode: Int?
    public var tags: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, action, position, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case listenerID = "listener_id"
        case redirectPoolID = "redirect_pool_id"
        case redirectURL = "redirect_url"
        case redirectPrefix = "redirect_prefix"
        case redirectHTTPCode = "redirect_http_code"
    }

    /// Attributes a POST may carry (`rules` only in graph create, not supported).
    public static let createAttributes = Set(CodingKeys.allCases.map(\.rawValue))
    /// Attributes a PUT may carry.
    public static let updateAttributes = createAttributes.subtracting(["project_id", "tenant_id", "listener_id"])

    /// Creates an empty write.
    public init() {}

    /// `policy` with the given attributes applied; a redirect attribute sets the action implicitly.
    public func apply(to policy: L7Policy, nulls: Set<String>) -> L7Policy {
        var p = policy
        p.name = name ?? (nulls.contains("name") ? "" : p.name)
        p.description = description ?? (nulls.contains("description") ? "" : p.description)
        p.adminStateUp = adminStateUp ?? (nulls.contains("admin_state_up") ? false : p.adminStateUp)
        if let position { p.position = position }
        p.redirectPoolID = redirectPoolID ?? (nulls.contains("redirect_pool_id") ? nil : p.redirectPoolID)
        p.redirectURL = redirectURL ?? (nulls.contains("redirect_url") ? nil : p.redirectURL)
        p.redirectPrefix = redirectPrefix ?? (nulls.contains("redirect_prefix") ? nil : p.redirectPrefix)
        p.redirectHTTPCode = redirectHTTPCode ?? (nulls.contains("redirect_http_code") ? nil : p.redirectHTTPCode)
        if let action {
            p.action = action
        } else if redirectPoolID != nil {
            p.action = .redirectToPool
        } else if redirectURL != nil {
            p.action = .redirectToURL
        } else if redirectPrefix != nil {
            p.action = .redirectPrefix
        }
        p.tags = tags ?? (nulls.contains("tags") ? [] : p.tags)
        return p
    }
}
