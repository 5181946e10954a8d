public import Foundation

/// An L7 policy on an HTTP listener (Octavia §1.6).
public struct L7Policy: Sendable, Codable, Hashable, Identifiable {
    /// Octavia's limits.
    public enum Limits {
        public static let maxPosition = 2_147_483_647
        public static let maxRulesPerPolicy = 50
        public static let redirectHTTPCodes: Set<Int> = [301, 302, 303, 307, 308]
        public static let defaultRedirectHTTPCode = 302
    }

    public var id: String
    public var projectID: String
    public var listenerID: String
    public var name: String
    public var description: String
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var action: L7PolicyAction
    public var redirectPoolID: String?
    public var redirectURL: String?
    public var redirectPrefix: String?
    public var redirectHTTPCode: Int?
    /// 1-based position in the listener's policy list; `nil` on create means "append".
    public var position: Int?
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date?

    /// Creates an L7 policy.
    public init(
        id: String,
        projectID: String,
        listenerID: String,
        name: String = "",
        description: String = "",
        adminStateUp: Bool = true,
        provisioningStatus: ProvisioningStatus = .pendingCreate,
        operatingStatus: OperatingStatus = .offline,
        action: L7PolicyAction,
        redirectPoolID: String? = nil,
        redirectURL: String? = nil,
        redirectPrefix: String? = nil,
        redirectHTTPCode: Int? = nil,
        position: Int? = nil,
        tags: [String] = [],
        createdAt: Date = Date(),
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.projectID = projectID
        self.listenerID = listenerID
        self.name = name
        self.description = description
        self.adminStateUp = adminStateUp
        self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus
        self.action = action
        self.redirectPoolID = redirectPoolID
        self.redirectURL = redirectURL
        self.redirectPrefix = redirectPrefix
        self.redirectHTTPCode = redirectHTTPCode
        self.position = position
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// An L7 rule of a policy (Octavia §1.7).
public struct L7Rule: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var projectID: String
    public var l7PolicyID: String
    public var adminStateUp: Bool
    public var provisioningStatus: ProvisioningStatus
    public var operatingStatus: OperatingStatus
    public var type: L7RuleType
    public var compareType: L7CompareType
    public var key: String?
    public var value: String
    public var invert: Bool
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date?

    /// Creates an L7 rule.
    public init(
        id: String,
        projectID: String,
        l7PolicyID: String,
        adminStateUp: Bool = true,
        provisioningStatus: ProvisioningStatus = .pendingCreate,
        operatingStatus: OperatingStatus = .offline,
        type: L7RuleType,
        compareType: L7CompareType,
        key: String? = nil,
        value: String,
        invert: Bool = false,
        tags: [String] = [],
        createdAt: Date = Date(),
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.projectID = projectID
        self.l7PolicyID = l7PolicyID
        self.adminStateUp = adminStateUp
        self.provisioningStatus = provisioningStatus
        self.operatingStatus = operatingStatus
        self.type = type
        self.compareType = compareType
        self.key = key
        self.value = value
        self.invert = invert
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
