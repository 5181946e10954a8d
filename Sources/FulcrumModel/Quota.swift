/// Resources that carry a per-project quota (Octavia §4).
public enum QuotaResource: String, Sendable, Codable, CaseIterable, Hashable {
    case loadBalancer = "loadbalancer"
    case listener
    case pool
    case healthMonitor = "healthmonitor"
    case member
    case l7Policy = "l7policy"
    case l7Rule = "l7rule"

    /// The resource kind counted against this quota.
    public var resourceKind: ResourceKind {
        switch self {
        case .loadBalancer: .loadBalancer
        case .listener: .listener
        case .pool: .pool
        case .healthMonitor: .healthMonitor
        case .member: .member
        case .l7Policy: .l7Policy
        case .l7Rule: .l7Rule
        }
    }

    /// The quota resource for a kind, if the kind is quota-limited.
    public init?(kind: ResourceKind) {
        guard let match = Self.allCases.first(where: { $0.resourceKind == kind }) else { return nil }
        self = match
    }
}

/// Quota limits; `nil` means "use the default", -1 means unlimited.
public struct Quota: Sendable, Codable, Hashable {
    /// Valid range of an explicit limit.
    public static let validRange = -1...2_000_000_000
    /// Value meaning "no limit".
    public static let unlimited = -1

    public var limits: [QuotaResource: Int]

    /// Creates a quota from explicit limits.
    public init(limits: [QuotaResource: Int] = [:]) {
        self.limits = limits
    }

    public subscript(resource: QuotaResource) -> Int? {
        get { limits[resource] }
        set { limits[resource] = newValue }
    }

    /// Fulcrum's seed defaults: 10 load balancers and 10 pools per project, the rest unlimited.
    public static let seedDefaults = Quota(limits: [
        .loadBalancer: 10, .listener: -1, .pool: 10, .healthMonitor: -1,
        .member: -1, .l7Policy: -1, .l7Rule: -1,
    ])

    /// The effective limit for `resource`: this quota's value, else the default's, else unlimited.
    public func effectiveLimit(_ resource: QuotaResource, defaults: Quota) -> Int {
        limits[resource] ?? defaults.limits[resource] ?? Self.unlimited
    }

    /// Whether `inUse + adding` fits under `limit`.
    public static func allows(limit: Int, inUse: Int, adding: Int) -> Bool {
        limit == unlimited || inUse + adding <= limit
    }
}
