public import FulcrumModel

/// An L7 rule as Octavia returns it (`{"rule": …}`).
public struct L7RuleBody: APIBody, Hashable {
    public var id: String
    public var adminStateUp: Bool
    public var projectID: String
    public var tenantID: String
    public var provisioningStatus: String
    public var operatingStatus: String
    public var type: String
    public var compareType: String
    public var key: String?
    public var value: String
    public var invert: Bool
    public var tags: [String]
    public var createdAt: String
    public var updatedAt: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, type, key, value, invert, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case provisioningStatus = "provisioning_status"
        case operatingStatus = "operating_status"
        case compareType = "compare_type"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public static let attributeNames = CodingKeys.allCases.map(\.rawValue)

    /// The body of `rule`.
    public init(_ rule: L7Rule) {
        id = rule.id
        adminStateUp = rule.adminStateUp
        projectID = rule.projectID
        tenantID = rule.projectID
        provisioningStatus = rule.provisioningStatus.rawValue
        operatingStatus = rule.operatingStatus.rawValue
        type = rule.type.rawValue
        compareType = rule.compareType.rawValue
        key = rule.key
        value = rule.value
        invert = rule.invert
        tags = rule.tags
        createdAt = APIDate.format(rule.createdAt)
        updatedAt = APIDate.format(rule.updatedAt)
    }
}

/// The attributes of an L7-rule POST or PUT (`{"rule": …}`).
public struct L7RuleWrite: Codable, Sendable, Hashable {
    public var adminStateUp: Bool?
    public var projectID: String?
    public var tenantID: String?
    public var type: L7RuleType?
    public var compareType: L7CompareType?
    public var key: String?
    public var value: String?
    public var invert: Bool?
    public var tags: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, key, value, invert, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case compareType = "compare_type"
    }

    /// Attributes a POST may carry.
    public static let createAttributes = Set(CodingKeys.allCases.map(\.rawValue))
    /// Attributes a PUT may carry.
    public static let updateAttributes = createAttributes.subtracting(["project_id", "tenant_id"])

    /// Creates an empty write.
    public init() {}

    /// `rule` with the given attributes applied.
    public func apply(to rule: L7Rule, nulls: Set<String>) -> L7Rule {
        var r = rule
        r.adminStateUp = adminStateUp ?? (nulls.contains("admin_state_up") ? false : r.adminStateUp)
        if let type { r.type = type }
        if let compareType { r.compareType = compareType }
        r.key = key ?? (nulls.contains("key") ? nil : r.key)
        if let value { r.value = value }
        r.invert = invert ?? (nulls.contains("invert") ? false : r.invert)
        r.tags = tags ?? (nulls.contains("tags") ? [] : r.tags)
        return r
    }
}
