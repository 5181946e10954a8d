/// Any API-managed resource, for code that handles them uniformly (store, locking, flows).
public enum Resource: Sendable, Hashable {
    case loadBalancer(LoadBalancer)
    case listener(Listener)
    case pool(Pool)
    case member(Member)
    case healthMonitor(HealthMonitor)
    case l7Policy(L7Policy)
    case l7Rule(L7Rule)

    /// The reference of this resource.
    public var ref: ResourceRef {
        switch self {
        case .loadBalancer(let value): ResourceRef(.loadBalancer, value.id)
        case .listener(let value): ResourceRef(.listener, value.id)
        case .pool(let value): ResourceRef(.pool, value.id)
        case .member(let value): ResourceRef(.member, value.id)
        case .healthMonitor(let value): ResourceRef(.healthMonitor, value.id)
        case .l7Policy(let value): ResourceRef(.l7Policy, value.id)
        case .l7Rule(let value): ResourceRef(.l7Rule, value.id)
        }
    }

    /// The owning project.
    public var projectID: String {
        switch self {
        case .loadBalancer(let value): value.projectID
        case .listener(let value): value.projectID
        case .pool(let value): value.projectID
        case .member(let value): value.projectID
        case .healthMonitor(let value): value.projectID
        case .l7Policy(let value): value.projectID
        case .l7Rule(let value): value.projectID
        }
    }

    /// The provisioning status.
    public var provisioningStatus: ProvisioningStatus {
        switch self {
        case .loadBalancer(let value): value.provisioningStatus
        case .listener(let value): value.provisioningStatus
        case .pool(let value): value.provisioningStatus
        case .member(let value): value.provisioningStatus
        case .healthMonitor(let value): value.provisioningStatus
        case .l7Policy(let value): value.provisioningStatus
        case .l7Rule(let value): value.provisioningStatus
        }
    }

    /// The operating status.
    public var operatingStatus: OperatingStatus {
        switch self {
        case .loadBalancer(let value): value.operatingStatus
        case .listener(let value): value.operatingStatus
        case .pool(let value): value.operatingStatus
        case .member(let value): value.operatingStatus
        case .healthMonitor(let value): value.operatingStatus
        case .l7Policy(let value): value.operatingStatus
        case .l7Rule(let value): value.operatingStatus
        }
    }
}
