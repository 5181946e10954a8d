import FulcrumModel

/// Where each resource kind lives.
extension ResourceKind {
    var table: String {
        switch self {
        case .loadBalancer: "load_balancer"
        case .listener: "listener"
        case .pool: "pool"
        case .member: "member"
        case .healthMonitor: "health_monitor"
        case .l7Policy: "l7policy"
        case .l7Rule: "l7rule"
        case .amphora: "amphora"
        }
    }
}
