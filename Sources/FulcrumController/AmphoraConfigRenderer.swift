public import FulcrumDrivers
public import FulcrumModel
public import FulcrumWire

/// Everything an amphora of one load balancer serves, as the store holds it.
public struct LoadBalancerTree: Sendable, Hashable {
    public var loadBalancer: LoadBalancer
    public var listeners: [Listener]
    public var pools: [Pool]
    public var members: [Member]
    public var healthMonitors: [HealthMonitor]
    public var l7Policies: [L7Policy]
    public var l7Rules: [L7Rule]
    /// Prefix length of the VIP subnet.
    public var vipPrefixLength: Int

    /// Creates a tree.
    public init(
        loadBalancer: LoadBalancer, listeners: [Listener] = [], pools: [Pool] = [], members: [Member] = [],
        healthMonitors: [HealthMonitor] = [], l7Policies: [L7Policy] = [], l7Rules: [L7Rule] = [],
        vipPrefixLength: Int = 24
    ) {
        self.vipPrefixLength = vipPrefixLength
        self.loadBalancer = loadBalancer
        self.listeners = listeners
        self.pools = pools
        self.members = members
        self.healthMonitors = healthMonitors
        self.l7Policies = l7Policies
        self.l7Rules = l7Rules
    }
}

/// Renders the `AmphoraConfig` an amphora must serve, as Octavia renders haproxy.cfg: objects being
/// deleted and admin-down listeners and pools are left out (their statuses then roll up OFFLINE),
/// admin-down members are kept but disabled (MAINT), an admin-down monitor means no checks, and an
/// admin-down load balancer serves nothing.
public enum AmphoraConfigRenderer {
    /// Deployment values the rendering needs beyond the store.
    public struct Settings: Sendable, Hashable {
        /// Milliseconds between VIP-ownership adverts of a pair.
        public var vrrpAdvertIntervalMs: Int
        /// The secret the pair's advert key is derived from (with the load balancer id).
        public var vrrpSecret: String

        /// Creates settings.
        public init(vrrpAdvertIntervalMs: Int = 1_000, vrrpSecret: String = "") {
            self.vrrpAdvertIntervalMs = vrrpAdvertIntervalMs
            self.vrrpSecret = vrrpSecret
        }
    }

    /// The configuration `amphora` must serve for `tree`, stamped with `generation`; `peers` are the load
    /// balancer's live amphorae (the other members of a pair become VRRP peers); `tls` holds the containers the
    /// TERMINATED_HTTPS listeners name, by ref.
    public static func render(
        _ tree: LoadBalancerTree, amphora: Amphora, generation: UInt64, peers: [Amphora] = [],
        settings: Settings = Settings(), tls: [String: TLSContainer] = [:]
    ) -> AmphoraConfig {
        let role: FulcrumWire.AmphoraRole =
            switch amphora.role {
            case .master: .master
            case .backup: .backup
            case .standalone, nil: .standalone
            }
        var config = AmphoraConfig(
            generation: generation, amphoraId: amphora.id, role: role, priority: amphora.vrrpPriority ?? 100,
            vip: tree.loadBalancer.vipAddress ?? "")
        if role != .standalone {
            config.peers = peers.filter { $0.id != amphora.id && $0.role != .standalone }.compactMap(\.vrrpIP).sorted()
            if let address = amphora.vrrpIP {
                config.vrrp = VRRPConfig(
                    interface: amphora.vrrpInterface ?? "eth1", address: address,
                    advertIntervalMs: settings.vrrpAdvertIntervalMs, vipPrefixLength: tree.vipPrefixLength,
                    authKey: VRRPConfig.derivedKey(secret: settings.vrrpSecret, group: tree.loadBalancer.id))
            }
        } else {
            config.vipInterface = VIPInterface(name: "eth1", prefixLength: tree.vipPrefixLength)
        }
        guard tree.loadBalancer.adminStateUp else { return config }
        let live = { (status: ProvisioningStatus) in status != .pendingDelete && status != .deleted }
        let pools = tree.pools.filter { $0.adminStateUp && live($0.provisioningStatus) }
        let poolIDs = Set(pools.map(\.id))
        config.pools = pools.compactMap { pool in render(pool, tree: tree) }
        config.listeners = tree.listeners.filter { $0.adminStateUp && live($0.provisioningStatus) }.compactMap {
            listener in
            guard let proto = FulcrumWire.ListenerProtocol(rawValue: listener.protocol.rawValue) else { return nil }
            let policies = tree.l7Policies
                .filter { $0.listenerID == listener.id && $0.adminStateUp && live($0.provisioningStatus) }
                .sorted { ($0.position ?? 0) < ($1.position ?? 0) }
                .compactMap { render($0, rules: tree.l7Rules, poolIDs: poolIDs) }
            return ListenerConfig(
                id: listener.id, protocol: proto, port: listener.protocolPort,
                connectionLimit: listener.connectionLimit,
                timeouts: ListenerTimeouts(
                    clientDataMs: listener.timeoutClientData, memberConnectMs: listener.timeoutMemberConnect,
                    memberDataMs: listener.timeoutMemberData, tcpInspectMs: listener.timeoutTCPInspect),
                insertHeaders: listener.insertHeaders, allowedCidrs: listener.allowedCIDRs,
                defaultPoolId: listener.defaultPoolID.flatMap { poolIDs.contains($0) ? $0 : nil }, l7Policies: policies,
                tls: listener.protocol == .terminatedHTTPS ? material(listener, tls) : nil)
        }
        return config
    }

    /// A TERMINATED_HTTPS listener's certificates (default, then SNI, in ref order) and client CA, from `tls`.
    static func material(_ listener: Listener, _ tls: [String: TLSContainer]) -> TLSMaterial {
        func certificate(_ ref: String) -> TLSCertificate? {
            guard let container = tls[ref], let key = container.privateKeyPEM else { return nil }
            return TLSCertificate(certificateChainPem: container.certificateChainPEM, privateKeyPem: key)
        }
        let main = listener.defaultTLSContainerRef.flatMap(certificate)
        return TLSMaterial(
            certificateRefs: [listener.defaultTLSContainerRef].compactMap { $0 } + listener.sniContainerRefs,
            certificateChainPem: main?.certificateChainPem, privateKeyPem: main?.privateKeyPem,
            sniCertificates: listener.sniContainerRefs.compactMap(certificate),
            clientCaPem: listener.clientCATLSContainerRef.flatMap { tls[$0]?.certificateChainPEM },
            clientAuthentication: listener.clientAuthentication.rawValue)
    }

    static func render(_ pool: Pool, tree: LoadBalancerTree) -> PoolConfig? {
        guard let proto = PoolConfig.PoolProtocol(rawValue: pool.protocol.rawValue),
            let algorithm = PoolConfig.Algorithm(rawValue: pool.lbAlgorithm.rawValue)
        else { return nil }
        let persistence = pool.sessionPersistence.flatMap { persistence in
            FulcrumWire.SessionPersistence.Kind(rawValue: persistence.type.rawValue).map {
                FulcrumWire.SessionPersistence(type: $0, cookieName: persistence.cookieName)
            }
        }
        let members = tree.members
            .filter { $0.poolID == pool.id && $0.provisioningStatus != .pendingDelete }
            .map { member in
                MemberConfig(
                    id: member.id, address: member.address, port: member.protocolPort, weight: member.weight,
                    backup: member.backup, adminStateUp: member.adminStateUp, monitorAddress: member.monitorAddress,
                    monitorPort: member.monitorPort)
            }
        let monitor = tree.healthMonitors
            .first { $0.poolID == pool.id && $0.adminStateUp && $0.provisioningStatus != .pendingDelete }
            .flatMap { monitor -> HealthMonitorConfig? in
                guard let kind = HealthMonitorConfig.Kind(rawValue: monitor.type.rawValue) else { return nil }
                return HealthMonitorConfig(
                    type: kind, delay: monitor.delay, timeout: monitor.timeout, maxRetries: monitor.maxRetries,
                    maxRetriesDown: monitor.maxRetriesDown, httpMethod: monitor.httpMethod?.rawValue ?? "GET",
                    urlPath: monitor.urlPath ?? "/", expectedCodes: monitor.expectedCodes ?? "200",
                    domainName: monitor.domainName)
            }
        return PoolConfig(
            id: pool.id, protocol: proto, algorithm: algorithm, sessionPersistence: persistence, members: members,
            healthMonitor: monitor)
    }

    static func render(_ policy: L7Policy, rules: [L7Rule], poolIDs: Set<String>) -> L7PolicyConfig? {
        guard let action = L7PolicyConfig.Action(rawValue: policy.action.rawValue) else { return nil }
        if action == .redirectToPool, !poolIDs.contains(policy.redirectPoolID ?? "") { return nil }
        let rendered =
            rules
            .filter { $0.l7PolicyID == policy.id && $0.adminStateUp && $0.provisioningStatus != .pendingDelete }
            .compactMap { rule -> L7RuleConfig? in
                guard let kind = L7RuleConfig.Kind(rawValue: rule.type.rawValue),
                    let comparison = L7RuleConfig.Comparison(rawValue: rule.compareType.rawValue)
                else { return nil }
                return L7RuleConfig(
                    id: rule.id, type: kind, compareType: comparison, key: rule.key, value: rule.value,
                    invert: rule.invert)
            }
        return L7PolicyConfig(
            id: policy.id, action: action, position: policy.position ?? 1, redirectPoolId: policy.redirectPoolID,
            redirectUrl: policy.redirectURL, redirectPrefix: policy.redirectPrefix,
            redirectHttpCode: policy.redirectHTTPCode,
            rules: rendered)
    }
}
