import FulcrumAPITypes
import FulcrumModel
import FulcrumStore

/// Turns the `listeners` and `pools` of a load-balancer POST into a `LoadBalancerGraph` (Octavia's single-call
/// create): listeners with `default_pool` and `l7policies` (with `rules`, `redirect_pool`), pools with `members`
/// and `healthmonitor`. A pool referenced from several places must be defined once (with `protocol` and
/// `lb_algorithm`) and named uniquely; the other references carry only its `name`.
struct GraphBuilder {
    let lb: LoadBalancer
    let makeID: @Sendable () -> String

    private var pools: [String: Pool] = [:]
    private var poolOrder: [String] = []
    private var poolChildren: [Resource] = []
    private var listeners: [Resource] = []
    private var policyResources: [Resource] = []
    /// Pool names referenced before (or without) their definition.
    private var undefined: Set<String> = []

    init(lb: LoadBalancer, makeID: @escaping @Sendable () -> String) {
        self.lb = lb
        self.makeID = makeID
    }

    static let listenerAttributes = ListenerWrite.createAttributes
        .subtracting(["loadbalancer_id", "default_pool_id"]).union(["default_pool", "l7policies"])
    static let poolAttributes = PoolWrite.createAttributes
        .subtracting(["loadbalancer_id", "listener_id"]).union(["members", "healthmonitor"])
    static let monitorAttributes = HealthMonitorWrite.createAttributes.subtracting(["pool_id"])
    static let policyAttributes = L7PolicyWrite.createAttributes
        .subtracting(["listener_id", "redirect_pool_id"]).union(["redirect_pool", "rules"])

    /// The graph of `listeners` and `pools` (JSON arrays of the request).
    mutating func build(
        listeners listenerValues: [JSONValue], pools poolValues: [JSONValue]
    ) throws -> LoadBalancerGraph {
        for value in poolValues { _ = try pool(value) }
        for value in listenerValues { try listener(value) }
        if let name = undefined.sorted().first {
            throw APIError.badRequest("Pool \(name) is referenced but never defined.")
        }
        let byID = Dictionary(uniqueKeysWithValues: pools.values.map { ($0.id, $0) })
        for case .listener(let listener) in listeners {
            if let poolID = listener.defaultPoolID, let pool = byID[poolID] {
                try Compatibility.checkDefaultPool(pool, for: listener)
            }
        }
        for case .l7Policy(let policy) in policyResources {
            guard let poolID = policy.redirectPoolID, let pool = byID[poolID],
                case .listener(let listener)? = listeners.first(where: { $0.ref.id == policy.listenerID })
            else { continue }
            try Compatibility.checkRedirectPool(pool, for: listener)
        }
        let poolResources = poolOrder.compactMap { pools[$0] }.map(Resource.pool)
        return LoadBalancerGraph(loadBalancer: lb, children: poolResources + listeners + poolChildren + policyResources)
    }

    func object(_ value: JSONValue, _ name: String) throws -> [String: JSONValue] {
        guard let object = value.objectValue else { throw APIError.badRequest("Each \(name) must be an object.") }
        return object
    }

    /// A pool definition or reference; returns its id.
    private mutating func pool(_ value: JSONValue) throws -> String {
        let attributes = try object(value, "pool")
        let name = attributes["name"]?.stringValue
        let isReference = attributes.keys.allSatisfy { $0 == "name" }
        if isReference {
            guard let name else { throw APIError.badRequest("A pool reference needs a name.") }
            if let existing = pools[name] { return existing.id }
            let placeholder = Pool(
                id: makeID(), projectID: lb.projectID, loadBalancerID: lb.id, protocol: .tcp, lbAlgorithm: .roundRobin)
            pools[name] = placeholder
            poolOrder.append(name)
            undefined.insert(name)
            return placeholder.id
        }
        let scalar = attributes.filter { $0.key != "members" && $0.key != "healthmonitor" }
        let write = try RequestBodyDecoder.decodeAttributes(
            PoolWrite.self, name: "pool", attributes: scalar, allowed: Self.poolAttributes
        ).value
        let key = name ?? makeID()
        if let existing = pools[key], !undefined.contains(key) {
            throw APIError.badRequest("Pool \(existing.name) is defined more than once; pool names must be unique.")
        }
        let id = pools[key]?.id ?? makeID()
        var pool = Pool(
            id: id, projectID: lb.projectID, loadBalancerID: lb.id, protocol: try required(write.protocol, "protocol"),
            lbAlgorithm: try required(write.lbAlgorithm, "lb_algorithm"))
        pool = write.apply(to: pool, nulls: [])
        try pool.validate()
        try pool.checkAmphoraProviderSupport()
        if pools[key] == nil { poolOrder.append(key) }
        pools[key] = pool
        undefined.remove(key)
        if let monitorValue = attributes["healthmonitor"], monitorValue != .null {
            let monitor = try RequestBodyDecoder.decodeAttributes(
                HealthMonitorWrite.self, name: "healthmonitor", attributes: try object(monitorValue, "healthmonitor"),
                allowed: Self.monitorAttributes
            ).value
            let built = monitor.makeMonitor(
                id: makeID(), projectID: lb.projectID, poolID: id, type: try required(monitor.type, "type"),
                delay: try required(monitor.delay, "delay"), timeout: try required(monitor.timeout, "timeout"),
                maxRetries: try required(monitor.maxRetries, "max_retries"))
            try built.validate()
            try Compatibility.checkHealthMonitor(built.type, for: pool.protocol)
            poolChildren.append(.healthMonitor(built))
        }
        for memberValue in attributes["members"]?.arrayValue ?? [] {
            let member = try RequestBodyDecoder.decodeAttributes(
                MemberWrite.self, name: "member", attributes: try object(memberValue, "member"),
                allowed: MemberWrite.createAttributes
            ).value
            let built = member.makeMember(
                id: makeID(), projectID: lb.projectID, poolID: id, address: try required(member.address, "address"),
                port: try required(member.protocolPort, "protocol_port"))
            try built.validate()
            poolChildren.append(.member(built))
        }
        return id
    }

    private mutating func listener(_ value: JSONValue) throws {
        let attributes = try object(value, "listener")
        let scalar = attributes.filter { $0.key != "default_pool" && $0.key != "l7policies" }
        let write = try RequestBodyDecoder.decodeAttributes(
            ListenerWrite.self, name: "listener", attributes: scalar, allowed: Self.listenerAttributes
        ).value
        var listener = write.makeListener(
            id: makeID(), projectID: lb.projectID, loadBalancerID: lb.id,
            protocol: try required(write.protocol, "protocol"),
            port: try required(write.protocolPort, "protocol_port"))
        if let poolValue = attributes["default_pool"], poolValue != .null {
            listener.defaultPoolID = try pool(poolValue)
        }
        try listener.validate()
        try Compatibility.checkAllowedCIDRs(listener.allowedCIDRs, vipAddresses: lb.vipAddress.map { [$0] } ?? [])
        listeners.append(.listener(listener))
        for policyValue in attributes["l7policies"]?.arrayValue ?? [] {
            try policy(policyValue, listener: listener)
        }
    }

    private mutating func policy(_ value: JSONValue, listener: Listener) throws {
        try Compatibility.checkL7PolicyListener(listener.protocol)
        let attributes = try object(value, "l7policy")
        let scalar = attributes.filter { $0.key != "redirect_pool" && $0.key != "rules" }
        let write = try RequestBodyDecoder.decodeAttributes(
            L7PolicyWrite.self, name: "l7policy", attributes: scalar, allowed: Self.policyAttributes
        ).value
        var policy = L7Policy(
            id: makeID(), projectID: lb.projectID, listenerID: listener.id, action: write.action ?? .reject)
        policy = write.apply(to: policy, nulls: [])
        if let poolValue = attributes["redirect_pool"], poolValue != .null {
            policy.redirectPoolID = try pool(poolValue)
            if write.action == nil { policy.action = .redirectToPool }
        }
        policy = policy.normalized()
        try policy.validate()
        policyResources.append(.l7Policy(policy))
        for ruleValue in attributes["rules"]?.arrayValue ?? [] {
            let rule = try RequestBodyDecoder.decodeAttributes(
                L7RuleWrite.self, name: "rule", attributes: try object(ruleValue, "rule"),
                allowed: L7RuleWrite.createAttributes
            ).value
            var built = L7Rule(
                id: makeID(), projectID: lb.projectID, l7PolicyID: policy.id, type: try required(rule.type, "type"),
                compareType: try required(rule.compareType, "compare_type"), value: try required(rule.value, "value"))
            built = rule.apply(to: built, nulls: [])
            try built.validate()
            policyResources.append(.l7Rule(built))
        }
    }
}
