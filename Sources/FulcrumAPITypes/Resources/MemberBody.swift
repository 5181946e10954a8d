public import FulcrumModel

/// A member as Octavia returns it (`{"member": …}`).
public struct MemberBody: APIBody, Hashable {
    public var id: String
    public var name: String
    public var adminStateUp: Bool
    public var projectID: String
    public var tenantID: String
    public var provisioningStatus: String
    public var operatingStatus: String
    public var address: String
    public var protocolPort: Int
    public var weight: Int
    public var backup: Bool
    public var subnetID: String?
    public var monitorAddress: String?
    public var monitorPort: Int?
    public var poolID: String
    public var requestSRIOV: Bool
    public var vnicType: String
    public var tags: [String]
    public var createdAt: String
    public var updatedAt: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, address, weight, backup, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case provisioningStatus = "provisioning_status"
        case operatingStatus = "operating_status"
        case protocolPort = "protocol_port"
        case subnetID = "subnet_id"
        case monitorAddress = "monitor_address"
        case monitorPort = "monitor_port"
        case poolID = "pool_id"
        case requestSRIOV = "request_sriov"
        case vnicType = "vnic_type"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public static let attributeNames = CodingKeys.allCases.map(\.rawValue)

    /// The body of `member`.
    public init(_ member: Member) {
        id = member.id
        name = member.name
        adminStateUp = member.adminStateUp
        projectID = member.projectID
        tenantID = member.projectID
        provisioningStatus = member.provisioningStatus.rawValue
        operatingStatus = member.operatingStatus.rawValue
        address = member.address
        protocolPort = member.protocolPort
        weight = member.weight
        backup = member.backup
        subnetID = member.subnetID
        monitorAddress = member.monitorAddress
        monitorPort = member.monitorPort
        poolID = member.poolID
        requestSRIOV = member.requestSRIOV
        vnicType = member.requestSRIOV ? "direct" : "normal"
        tags = member.tags
        createdAt = APIDate.format(member.createdAt)
        updatedAt = APIDate.format(member.updatedAt)
    }
}

/// The attributes of a member POST or PUT, or one entry of a batch update.
public struct MemberWrite: Codable, Sendable, Hashable {
    public var name: String?
    public var adminStateUp: Bool?
    public var projectID: String?
    public var tenantID: String?
    public var address: String?
    public var protocolPort: Int?
    public var weight: Int?
    public var backup: Bool?
    public var subnetID: String?
    public var monitorAddress: String?
    public var monitorPort: Int?
    public var requestSRIOV: Bool?
    public var tags: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, address, weight, backup, tags
        case adminStateUp = "admin_state_up"
        case projectID = "project_id"
        case tenantID = "tenant_id"
        case protocolPort = "protocol_port"
        case subnetID = "subnet_id"
        case monitorAddress = "monitor_address"
        case monitorPort = "monitor_port"
        case requestSRIOV = "request_sriov"
    }

    /// Attributes a POST may carry.
    public static let createAttributes = Set(CodingKeys.allCases.map(\.rawValue))
    /// Attributes a PUT may carry.
    public static let updateAttributes: Set<String> = [
        "name", "admin_state_up", "weight", "backup", "monitor_address", "monitor_port", "tags",
    ]

    /// Creates an empty write.
    public init() {}

    /// `member` with the given attributes applied; `nulls` reset to defaults.
    public func apply(to member: Member, nulls: Set<String>) -> Member {
        var m = member
        m.name = name ?? (nulls.contains("name") ? "" : m.name)
        m.adminStateUp = adminStateUp ?? (nulls.contains("admin_state_up") ? false : m.adminStateUp)
        m.weight = weight ?? (nulls.contains("weight") ? 1 : m.weight)
        m.backup = backup ?? (nulls.contains("backup") ? false : m.backup)
        m.monitorAddress = monitorAddress ?? (nulls.contains("monitor_address") ? nil : m.monitorAddress)
        m.monitorPort = monitorPort ?? (nulls.contains("monitor_port") ? nil : m.monitorPort)
        m.tags = tags ?? (nulls.contains("tags") ? [] : m.tags)
        return m
    }

    /// A new member (address and port checked by the caller).
    public func makeMember(id: String, projectID: String, poolID: String, address: String, port: Int) -> Member {
        var member = Member(id: id, projectID: projectID, poolID: poolID, address: address, protocolPort: port)
        member = apply(to: member, nulls: [])
        member.subnetID = subnetID
        member.requestSRIOV = requestSRIOV ?? false
        return member
    }
}
