public import FulcrumDrivers
public import FulcrumModel
public import FulcrumStore

/// What flows need to build and configure amphorae: ports only (STYLE rule 3).
public struct WorkerEnvironment: Sendable {
    /// The store ports flows use.
    public typealias Store = ResourceStore & AmphoraStore & NetworkStore

    /// Deployment settings of the amphora fleet.
    public struct Settings: Sendable, Hashable {
        /// The amphora image to boot.
        public var image: AmphoraImage
        /// Subnet (id or name) of the management network and its bridge.
        public var managementSubnet: String
        public var managementBridge: String
        /// Health-manager `ip:port` addresses the agents send heartbeats to.
        public var controllers: [String]
        /// The deployment's heartbeat key (secret: only inside the amphora's secrets archive).
        public var heartbeatKey: String
        /// Milliseconds between heartbeats.
        public var heartbeatIntervalMs: Int
        /// Agent API port.
        public var agentPort: Int
        /// How many times, and how often, to ask a new amphora's agent whether it is up.
        public var agentWaitAttempts: Int
        public var agentWaitInterval: Duration
        /// Validity of amphora certificates.
        public var certificateValidity: Duration
        /// Interval of the VIP-ownership adverts of an ACTIVE_STANDBY pair.
        public var vrrpAdvertInterval: Duration

        /// Creates settings.
        public init(
            image: AmphoraImage, managementSubnet: String, managementBridge: String, controllers: [String],
            heartbeatKey: String, heartbeatIntervalMs: Int = 10_000, agentPort: Int = 9443,
            agentWaitAttempts: Int = 120,
            agentWaitInterval: Duration = .seconds(1), certificateValidity: Duration = .seconds(30 * 86_400),
            vrrpAdvertInterval: Duration = .seconds(1)
        ) {
            self.vrrpAdvertInterval = vrrpAdvertInterval
            self.image = image
            self.managementSubnet = managementSubnet
            self.managementBridge = managementBridge
            self.controllers = controllers
            self.heartbeatKey = heartbeatKey
            self.heartbeatIntervalMs = heartbeatIntervalMs
            self.agentPort = agentPort
            self.agentWaitAttempts = agentWaitAttempts
            self.agentWaitInterval = agentWaitInterval
            self.certificateValidity = certificateValidity
        }
    }

    public var store: any Store
    public var compute: any ComputeDriver
    public var agents: any AmphoraDriver
    public var certificates: any CertificateAuthority
    public var ids: any IDGenerator
    public var clock: any WallClock
    public var settings: Settings
    /// Where the amphora steps record VM boot times and failures.
    public var metrics: FlowMetrics
    /// Resolves the TLS container refs of TERMINATED_HTTPS listeners.
    public var tlsContainers: any TLSContainerStore

    /// Creates an environment.
    public init(
        store: any Store, compute: any ComputeDriver, agents: any AmphoraDriver, certificates: any CertificateAuthority,
        ids: any IDGenerator = UUIDGenerator(), clock: any WallClock = SystemWallClock(), settings: Settings,
        metrics: FlowMetrics = .disabled, tlsContainers: any TLSContainerStore = MemoryTLSContainerStore()
    ) {
        self.metrics = metrics
        self.tlsContainers = tlsContainers
        self.store = store
        self.compute = compute
        self.agents = agents
        self.certificates = certificates
        self.ids = ids
        self.clock = clock
        self.settings = settings
    }

    /// What the configuration renderer needs from the settings.
    var renderSettings: AmphoraConfigRenderer.Settings {
        .init(
            vrrpAdvertIntervalMs: Int(settings.vrrpAdvertInterval.timeInterval * 1_000),
            vrrpSecret: settings.heartbeatKey)
    }

    /// The TLS containers the tree's served TERMINATED_HTTPS listeners name, by ref (listeners the renderer leaves
    /// out — admin-down or being deleted — are skipped, so an ERROR listener with a bad ref can still be deleted);
    /// a container that cannot be read fails the flow (the listener goes ERROR, as in Octavia).
    func tlsContainers(for tree: LoadBalancerTree) async throws -> [String: TLSContainer] {
        var containers: [String: TLSContainer] = [:]
        let served = tree.listeners.filter {
            $0.protocol == .terminatedHTTPS && $0.adminStateUp && $0.provisioningStatus != .pendingDelete
                && $0.provisioningStatus != .deleted
        }
        for listener in served {
            let refs =
                [listener.defaultTLSContainerRef, listener.clientCATLSContainerRef].compactMap { $0 }
                + listener.sniContainerRefs
            for ref in refs where containers[ref] == nil {
                containers[ref] = try await tlsContainers.container(ref)
            }
        }
        return containers
    }

    /// The tree an amphora of `loadBalancerID` serves, read from the store.
    public func tree(loadBalancerID: String) async throws -> LoadBalancerTree {
        guard
            case .loadBalancer(let lb)? = try await store.resource(
                ResourceRef(.loadBalancer, loadBalancerID), projectID: nil)
        else { throw StoreError.notFound(ResourceRef(.loadBalancer, loadBalancerID)) }
        func all<T>(_ kind: ResourceKind, _ parent: String?, _ pick: (Resource) -> T?) async throws -> [T] {
            try await store.resources(kind, query: ResourceQuery(parentID: parent)).compactMap(pick)
        }
        let listeners = try await all(.listener, lb.id) { if case .listener(let v) = $0 { v } else { nil } }
        let pools = try await all(.pool, lb.id) { if case .pool(let v) = $0 { v } else { nil } }
        var tree = LoadBalancerTree(loadBalancer: lb, listeners: listeners, pools: pools)
        if let subnet = try await store.subnets().first(where: { $0.id == lb.vipSubnetID }) {
            tree.vipPrefixLength = subnet.cidr.prefixLength
        }
        for pool in pools {
            tree.members += try await all(.member, pool.id) { if case .member(let v) = $0 { v } else { nil } }
            tree.healthMonitors += try await all(.healthMonitor, pool.id) {
                if case .healthMonitor(let v) = $0 { v } else { nil }
            }
        }
        for listener in listeners {
            let policies = try await all(.l7Policy, listener.id) { if case .l7Policy(let v) = $0 { v } else { nil } }
            tree.l7Policies += policies
            for policy in policies {
                tree.l7Rules += try await all(.l7Rule, policy.id) { if case .l7Rule(let v) = $0 { v } else { nil } }
            }
        }
        return tree
    }
}
