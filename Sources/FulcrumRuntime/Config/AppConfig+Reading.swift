import FulcrumModel

extension AppConfig {
    /// Reads and validates every section; the first bad key is thrown as a `ConfigError`.
    init(reading source: ConfigSource) async throws {
        self.init()
        try await readDatabase(source)
        try await readAPI(source)
        try await readAuth(source)
        try await readWorker(source)
        try await readQueue(source)
        try await readAmphora(source)
        try await readHealthManager(source)
        try await readHousekeeping(source)
        try await readQuotas(source)
        try await readNetwork(source)
        subnets = try await Self.readSubnets(source)
        try await readFloatingIPs(source)
        try await readLogging(source)
    }

    private mutating func readDatabase(_ source: ConfigSource) async throws {
        if let path = try await source.string(["database", "path"]) {
            guard !path.isEmpty else { throw source.error(.invalidValue, ["database", "path"], "is empty") }
            database.path = path
        }
        let busy = try await source.int(["database", "busy_timeout_ms"], default: 10_000, atLeast: 0)
        database.busyTimeout = .milliseconds(busy)
    }

    private mutating func readAPI(_ source: ConfigSource) async throws {
        if let host = try await source.string(["api", "host"]) {
            guard !host.isEmpty, !host.contains(where: \.isWhitespace) else {
                throw source.error(.invalidValue, ["api", "host"], "'\(host)' is not a host address")
            }
            api.host = host
        }
        if let port = try await source.int(["api", "port"]) {
            guard (1...65535).contains(port) else {
                throw source.error(.invalidValue, ["api", "port"], "\(port) is not a port (1...65535)")
            }
            api.port = port
        }
        api.metricsAddress = try await readMetricsAddress(source, ["api", "metrics_address"]) ?? api.metricsAddress
    }

    /// A `*.metrics_address`: empty (disabled) or an IPv4 `host:port`.
    private func readMetricsAddress(_ source: ConfigSource, _ key: [String]) async throws -> String? {
        guard let metrics = try await source.string(key) else { return nil }
        guard metrics.isEmpty || Self.isHostPort(metrics) else {
            throw source.error(.invalidValue, key, "'\(metrics)' is not an IPv4 host:port")
        }
        return metrics
    }

    private mutating func readAuth(_ source: ConfigSource) async throws {
        if let strategy = try await source.string(["auth", "strategy"]) {
            guard let parsed = AuthConfig.Strategy(rawValue: strategy.lowercased()) else {
                let choices = AuthConfig.Strategy.allCases.map(\.rawValue).joined(separator: " | ")
                throw source.error(
                    .invalidValue, ["auth", "strategy"], "'\(strategy)' is not a strategy (\(choices))")
            }
            auth.strategy = parsed
        }
        if let token = try await source.string(["auth", "admin_token"], isSecret: true), !token.isEmpty {
            guard token.count >= 8, !token.contains(where: \.isWhitespace) else {
                throw source.error(
                    .invalidValue, ["auth", "admin_token"], "must be at least 8 characters without spaces")
            }
            auth.adminToken = Secret(token)
        }
    }

    private mutating func readAmphora(_ source: ConfigSource) async throws {
        if let value = try await source.string(["amphora", "image_dir"]), !value.isEmpty {
            amphora.imageDirectory = value
        }
        if let value = try await source.string(["amphora", "management_subnet"]), !value.isEmpty {
            amphora.managementSubnet = value
        }
        let controllersKey = ["amphora", "controllers"]
        if let controllers = try await source.stringArray(controllersKey) {
            for address in controllers where !Self.isHostPort(address) {
                throw source.error(.invalidValue, controllersKey, "'\(address)' is not an IPv4 host:port")
            }
            amphora.controllers = controllers
        }
        amphora.agentPort = try await source.int(["amphora", "agent_port"], default: 9443, in: 1...65535)
        amphora.bootTimeout = .seconds(
            try await source.int(["amphora", "boot_timeout_seconds"], default: 180, atLeast: 5))
        if let value = try await source.string(["amphora", "state_dir"]), !value.isEmpty {
            amphora.stateDirectory = value
        }
        if let value = try await source.string(["certificates", "container_dir"]), !value.isEmpty {
            amphora.tlsContainerDirectory = value
        }
        if let uris = try await source.stringArray(["libvirt", "uris"]), !uris.isEmpty { amphora.libvirtURIs = uris }
        let acceleratorKey = ["libvirt", "accelerator"]
        if let value = try await source.string(acceleratorKey) {
            guard ["automatic", "kvm", "tcg"].contains(value) else {
                throw source.error(.invalidValue, acceleratorKey, "'\(value)' is not automatic, kvm or tcg")
            }
            amphora.accelerator = value
        }
        let topologyKey = ["amphora", "topology"]
        if let value = try await source.string(topologyKey) {
            guard let topology = Topology(rawValue: value) else {
                throw source.error(.invalidValue, topologyKey, "'\(value)' is not SINGLE or ACTIVE_STANDBY")
            }
            amphora.topology = topology
        }
        amphora.vrrpAdvertInterval = .milliseconds(
            try await source.int(["amphora", "vrrp_advert_interval_ms"], default: 1000, in: 200...10_000))
    }

    private mutating func readWorker(_ source: ConfigSource) async throws {
        worker.concurrency = try await source.int(["worker", "concurrency"], default: 4, in: 1...256)
        let drain = try await source.int(["worker", "drain_timeout_seconds"], default: 30, atLeast: 0)
        worker.drainTimeout = .seconds(drain)
        worker.metricsAddress =
            try await readMetricsAddress(source, ["worker", "metrics_address"]) ?? worker.metricsAddress
        worker.queueSampleInterval = .seconds(
            try await source.int(["worker", "queue_sample_interval_seconds"], default: 10, in: 1...3_600))
    }

    private mutating func readQueue(_ source: ConfigSource) async throws {
        queue.lease = .seconds(try await source.int(["queue", "lease_seconds"], default: 30, atLeast: 1))
        queue.maxAttempts = try await source.int(["queue", "max_attempts"], default: 5, atLeast: 1)
        let base = try await source.int(["queue", "backoff_base_ms"], default: 1000, atLeast: 1)
        let maximum = try await source.int(["queue", "backoff_max_ms"], default: 60_000, atLeast: 1)
        guard maximum >= base else {
            throw source.error(
                .invalidValue, ["queue", "backoff_max_ms"],
                "\(maximum) is smaller than queue.backoff_base_ms (\(base))")
        }
        queue.backoffBase = .milliseconds(base)
        queue.backoffMax = .milliseconds(maximum)
    }

    private mutating func readHealthManager(_ source: ConfigSource) async throws {
        let bindKey = ["health_manager", "bind_addresses"]
        if let addresses = try await source.stringArray(bindKey) {
            guard !addresses.isEmpty else { throw source.error(.invalidValue, bindKey, "is empty") }
            for address in addresses where !Self.isHostPort(address) {
                throw source.error(.invalidValue, bindKey, "'\(address)' is not an IPv4 host:port")
            }
            healthManager.bindAddresses = addresses
        }
        let timeout = try await source.int(["health_manager", "heartbeat_timeout_seconds"], default: 60, atLeast: 1)
        let interval = try await source.int(["health_manager", "heartbeat_interval_seconds"], default: 10, atLeast: 1)
        guard interval < timeout else {
            throw source.error(
                .invalidValue, ["health_manager", "heartbeat_interval_seconds"],
                "\(interval) is not shorter than health_manager.heartbeat_timeout_seconds (\(timeout))")
        }
        healthManager.heartbeatTimeout = .seconds(timeout)
        healthManager.heartbeatInterval = .seconds(interval)
        if let key = try await source.string(["health_manager", "heartbeat_key"], isSecret: true), !key.isEmpty {
            guard key.count >= 16 else {
                throw source.error(
                    .invalidValue, ["health_manager", "heartbeat_key"], "must be at least 16 characters")
            }
            healthManager.heartbeatKey = Secret(key)
        }
        let check = try await source.int(["health_manager", "health_check_interval_seconds"], default: 3, atLeast: 1)
        healthManager.healthCheckInterval = .seconds(check)
        let flush = try await source.int(["health_manager", "flush_interval_ms"], default: 100, in: 10...10_000)
        healthManager.flushInterval = .milliseconds(flush)
        healthManager.metricsAddress =
            try await readMetricsAddress(source, ["health_manager", "metrics_address"])
            ?? healthManager.metricsAddress
    }

    private mutating func readHousekeeping(_ source: ConfigSource) async throws {
        let interval = try await source.int(["housekeeping", "interval_seconds"], default: 10, atLeast: 1)
        housekeeping.interval = .seconds(interval)
        housekeeping.sparePoolSize = try await source.int(["housekeeping", "spare_pool_size"], default: 0, in: 0...64)
        let lbAge = try await source.int(
            ["housekeeping", "load_balancer_expiry_age_seconds"], default: 604_800, atLeast: 0)
        let amphoraAge = try await source.int(
            ["housekeeping", "amphora_expiry_age_seconds"], default: 604_800, atLeast: 0)
        housekeeping.loadBalancerExpiryAge = .seconds(lbAge)
        housekeeping.amphoraExpiryAge = .seconds(amphoraAge)
        if let value = try await source.string(["housekeeping", "spare_vip_subnet"]), !value.isEmpty {
            housekeeping.spareVIPSubnet = value
        }
        housekeeping.cleanupInterval = .seconds(
            try await source.int(["housekeeping", "cleanup_interval_seconds"], default: 30, atLeast: 1))
        housekeeping.maxRebuilds = try await source.int(["housekeeping", "max_rebuilds"], default: 4, atLeast: 1)
        housekeeping.maxRebuildPercent = try await source.int(
            ["housekeeping", "max_rebuild_percent"], default: 50, in: 1...100)
        housekeeping.rebuildBackoff = .seconds(
            try await source.int(["housekeeping", "rebuild_backoff_seconds"], default: 15, atLeast: 1))
        housekeeping.rebuildBackoffMax = .seconds(
            try await source.int(["housekeeping", "rebuild_backoff_max_seconds"], default: 600, atLeast: 1))
        housekeeping.breakerReset = .seconds(
            try await source.int(["housekeeping", "circuit_breaker_reset_seconds"], default: 3_600, atLeast: 1))
        housekeeping.certInterval = .seconds(
            try await source.int(["housekeeping", "cert_interval_seconds"], default: 3_600, atLeast: 1))
        housekeeping.certExpiryBuffer = .seconds(
            try await source.int(["housekeeping", "cert_expiry_buffer_seconds"], default: 1_209_600, atLeast: 0))
        housekeeping.metricsAddress =
            try await readMetricsAddress(source, ["housekeeping", "metrics_address"]) ?? housekeeping.metricsAddress
    }

    /// Quota keys under `quotas.`, one per resource.
    static let quotaKeys: [(key: String, resource: QuotaResource)] = [
        ("load_balancer", .loadBalancer), ("listener", .listener), ("pool", .pool),
        ("health_monitor", .healthMonitor), ("member", .member), ("l7_policy", .l7Policy), ("l7_rule", .l7Rule),
    ]

    private mutating func readQuotas(_ source: ConfigSource) async throws {
        for (key, resource) in Self.quotaKeys {
            let fallback = Quota.seedDefaults[resource] ?? Quota.unlimited
            quotas[resource] = try await source.int(["quotas", key], default: fallback, in: Quota.validRange)
        }
    }

    private mutating func readFloatingIPs(_ source: ConfigSource) async throws {
        let namespaceKey = ["floating_ips", "network_namespace"]
        if let path = try await source.string(namespaceKey) {
            guard path.isEmpty || (path.hasPrefix("/") && !path.contains(where: \.isWhitespace)) else {
                throw source.error(
                    .invalidValue, namespaceKey, "'\(path)' is not an absolute path (e.g. /run/netns/fulcrum-lab)")
            }
            floatingIPs.networkNamespace = path
        }
        let cidrsKey = ["floating_ips", "allowed_cidrs"]
        if let cidrs = try await source.stringArray(cidrsKey) {
            floatingIPs.allowedCIDRs = try cidrs.map { text in
                guard let network = IPv4Network(text) else {
                    throw source.error(.invalidValue, cidrsKey, "'\(text)' is not an IPv4 network (a.b.c.d/n)")
                }
                return network
            }
        }
    }

    /// Log levels accepted by `logging.level`.
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    private mutating func readLogging(_ source: ConfigSource) async throws {
        if let level = try await source.string(["logging", "level"]) {
            guard Self.logLevels.contains(level.lowercased()) else {
                throw source.error(
                    .invalidValue, ["logging", "level"],
                    "'\(level)' is not a level (\(Self.logLevels.joined(separator: " | ")))")
            }
            logging.level = level.lowercased()
        }
    }

    static func isHostPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":") else { return false }
        guard IPv4Address(String(text[..<colon])) != nil, let port = Int(text[text.index(after: colon)...]) else {
            return false
        }
        return (0...65535).contains(port)  // 0 = any free port (tests)
    }
}
