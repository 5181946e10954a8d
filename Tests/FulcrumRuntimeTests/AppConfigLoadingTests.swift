import FulcrumModel
import FulcrumRuntime
import Testing

@Suite("AppConfig loading")
struct AppConfigLoadingTests {
    static let yaml = """
        database:
          path: /tmp/yaml.db
          busy_timeout_ms: 2500
        api:
          host: 0.0.0.0
          port: 19876
          metrics_address: "127.0.0.1:19105"
        auth:
          strategy: noauth
          admin_token: s3cret-admin-token
        worker:
          concurrency: 8
          drain_timeout_seconds: 5
          metrics_address: ""
          queue_sample_interval_seconds: 2
        queue:
          lease_seconds: 12
          max_attempts: 3
          backoff_base_ms: 200
          backoff_max_ms: 4000
        health_manager:
          bind_addresses: ["127.0.0.1:5555", "203.0.113.1:5556"]
          heartbeat_timeout_seconds: 8
          heartbeat_interval_seconds: 2
          heartbeat_key: 0123456789abcdef0123
        housekeeping:
          interval_seconds: 3
          spare_pool_size: 1
          load_balancer_expiry_age_seconds: 60
          amphora_expiry_age_seconds: 120
        quotas:
          load_balancer: 20
          member: 100
        network:
          mode: lab
          lab_namespace: lab-x
        subnets:
          names: [private-subnet, mgmt]
          private-subnet:
            cidr: 198.51.100.0/24
            gateway: 198.51.100.1
            allocation_start: 198.51.100.10
            allocation_end: 198.51.100.250
            bridge: fulcrum-private
          mgmt: {cidr: 203.0.113.0/24, gateway: 203.0.113.1, bridge: fulcrum-mgmt}
        floating_ips:
          network_namespace: /run/netns/fulcrum-lab
          allowed_cidrs: [127.0.0.0/8, 203.0.113.0/24]
        logging:
          level: debug
        """

    static let json = """
        {
          "database": {"path": "/tmp/json.db", "busy_timeout_ms": 2500},
          "api": {"host": "0.0.0.0", "port": 19876, "metrics_address": "127.0.0.1:19105"},
          "auth": {"strategy": "noauth", "admin_token": "s3cret-admin-token"},
          "worker": {
            "concurrency": 8, "drain_timeout_seconds": 5, "metrics_address": "", "queue_sample_interval_seconds": 2
          },
          "queue": {"lease_seconds": 12, "max_attempts": 3, "backoff_base_ms": 200, "backoff_max_ms": 4000},
          "health_manager": {
            "bind_addresses": ["127.0.0.1:5555", "203.0.113.1:5556"],
            "heartbeat_timeout_seconds": 8, "heartbeat_interval_seconds": 2,
            "heartbeat_key": "0123456789abcdef0123"
          },
          "housekeeping": {
            "interval_seconds": 3, "spare_pool_size": 1,
            "load_balancer_expiry_age_seconds": 60, "amphora_expiry_age_seconds": 120
          },
          "quotas": {"load_balancer": 20, "member": 100},
          "network": {"mode": "lab", "lab_namespace": "lab-x"},
          "subnets": {
            "names": ["private-subnet", "mgmt"],
            "private-subnet": {
              "cidr": "198.51.100.0/24", "gateway": "198.51.100.1",
              "allocation_start": "198.51.100.10", "allocation_end": "198.51.100.250",
              "bridge": "fulcrum-private"
            },
            "mgmt": {"cidr": "203.0.113.0/24", "gateway": "203.0.113.1", "bridge": "fulcrum-mgmt"}
          },
          "floating_ips": {
            "network_namespace": "/run/netns/fulcrum-lab", "allowed_cidrs": ["127.0.0.0/8", "203.0.113.0/24"]
          },
          "logging": {"level": "debug"}
        }
        """

    /// Everything in `yaml`/`json` except the database path.
    static func expectFullConfig(_ config: AppConfig) throws {
        #expect(config.database.busyTimeout == .milliseconds(2500))
        #expect(config.api.host == "0.0.0.0")
        #expect(config.api.port == 19876)
        #expect(config.api.metricsAddress == "127.0.0.1:19105")
        #expect(config.auth.strategy == .noauth)
        #expect(config.auth.adminToken?.value == "s3cret-admin-token")
        #expect(config.worker.concurrency == 8)
        #expect(config.worker.drainTimeout == .seconds(5))
        #expect(config.worker.metricsAddress == "")
        #expect(config.worker.queueSampleInterval == .seconds(2))
        #expect(config.queue.lease == .seconds(12))
        #expect(config.queue.maxAttempts == 3)
        #expect(config.queue.backoffBase == .milliseconds(200))
        #expect(config.queue.backoffMax == .milliseconds(4000))
        #expect(config.healthManager.bindAddresses == ["127.0.0.1:5555", "203.0.113.1:5556"])
        #expect(config.healthManager.heartbeatTimeout == .seconds(8))
        #expect(config.healthManager.heartbeatInterval == .seconds(2))
        #expect(config.healthManager.heartbeatKey?.value == "0123456789abcdef0123")
        #expect(config.housekeeping.interval == .seconds(3))
        #expect(config.housekeeping.sparePoolSize == 1)
        #expect(config.housekeeping.loadBalancerExpiryAge == .seconds(60))
        #expect(config.housekeeping.amphoraExpiryAge == .seconds(120))
        #expect(config.quotas[.loadBalancer] == 20)
        #expect(config.quotas[.member] == 100)
        #expect(config.quotas[.pool] == 10)
        #expect(config.quotas[.listener] == -1)
        #expect(config.logging.level == "debug")
        #expect(config.network.mode == .lab)
        #expect(config.network.bridgeNamespace == "lab-x")
        #expect(config.floatingIPs.networkNamespace == "/run/netns/fulcrum-lab")
        #expect(config.floatingIPs.allowedCIDRs == [IPv4Network("127.0.0.0/8")!, IPv4Network("203.0.113.0/24")!])
        try #require(config.subnets.count == 2)
        let subnet = config.subnets[0]
        #expect(subnet.name == "private-subnet")
        #expect(subnet.id == "private-subnet")
        #expect(subnet.cidr == IPv4Network("198.51.100.0/24"))
        #expect(subnet.gateway == IPv4Address("198.51.100.1"))
        #expect(subnet.allocationStart == IPv4Address("198.51.100.10"))
        #expect(subnet.allocationEnd == IPv4Address("198.51.100.250"))
        #expect(subnet.bridge == "fulcrum-private")
        let mgmt = config.subnets[1]
        #expect(mgmt.allocationStart == IPv4Address("203.0.113.2"))
        #expect(mgmt.allocationEnd == IPv4Address("203.0.113.254"))
    }

    @Test("a YAML file sets every key")
    func yamlFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("fulcrum.yaml", Self.yaml)
        let config = try await AppConfig.load(configPath: path, environment: [:])
        #expect(config.database.path == "/tmp/yaml.db")
        try Self.expectFullConfig(config)
    }

    @Test("a .json file is read as JSON with the same keys")
    func jsonFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("fulcrum.json", Self.json)
        let config = try await AppConfig.load(configPath: path, environment: [:])
        #expect(config.database.path == "/tmp/json.db")
        try Self.expectFullConfig(config)
    }

    @Test("no file anywhere gives the documented defaults")
    func defaults() async throws {
        let config = try await AppConfig.load(
            configPath: nil, environment: [:], defaultPath: "/nonexistent/fulcrum.yaml")
        #expect(config == AppConfig())
        #expect(config.database.path == "/var/lib/fulcrum/fulcrum.db")
        #expect(config.database.busyTimeout == .seconds(10))
        #expect(config.api.host == "127.0.0.1")
        #expect(config.api.port == 9876)
        #expect(config.auth.strategy == .token)
        #expect(config.auth.adminToken == nil)
        #expect(config.worker.concurrency == 4)
        #expect(config.queue.lease == .seconds(30))
        #expect(config.queue.maxAttempts == 5)
        #expect(config.healthManager.bindAddresses == ["0.0.0.0:5555"])
        #expect(config.healthManager.heartbeatTimeout == .seconds(60))
        #expect(config.healthManager.heartbeatInterval == .seconds(10))
        #expect(config.healthManager.heartbeatKey == nil)
        #expect(config.housekeeping.sparePoolSize == 0)
        #expect(config.housekeeping.loadBalancerExpiryAge == .seconds(604_800))
        #expect(config.housekeeping.amphoraExpiryAge == .seconds(604_800))
        #expect(config.quotas == Quota.seedDefaults)
        #expect(config.subnets.isEmpty)
        #expect(config.network.mode == .host)
        #expect(config.network.bridgeNamespace == nil)
        #expect(config.logging.level == "info")
        #expect(config.floatingIPs.networkNamespace == "")
        #expect(config.floatingIPs.allowedCIDRs == [IPv4Network("127.0.0.0/8")!])
    }

    @Test("the shipped etc/fulcrum.yaml loads and equals the defaults plus lab mode and its lab subnets")
    func shippedSample() async throws {
        let config = try await AppConfig.load(configPath: packageRoot() + "/etc/fulcrum.yaml", environment: [:])
        var expected = AppConfig()
        expected.network.mode = .lab
        expected.subnets = [
            Subnet(
                name: "private-subnet", cidr: try #require(IPv4Network("198.51.100.0/24")),
                gateway: IPv4Address("198.51.100.1"), allocationStart: IPv4Address("198.51.100.32"),
                allocationEnd: IPv4Address("198.51.100.250"), bridge: "fulcrum-private"),
            Subnet(
                name: "mgmt-subnet", cidr: try #require(IPv4Network("203.0.113.0/24")),
                gateway: IPv4Address("203.0.113.1"), allocationStart: IPv4Address("203.0.113.10"),
                allocationEnd: IPv4Address("203.0.113.200"), bridge: "fulcrum-mgmt"),
        ]
        #expect(config == expected)
    }

    @Test("environment variables win over the file")
    func environmentWins() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("fulcrum.yaml", Self.yaml)
        let config = try await AppConfig.load(
            configPath: path,
            environment: [
                "FULCRUM_API_PORT": "20000",
                "FULCRUM_AUTH_STRATEGY": "token",
                "FULCRUM_HEALTH_MANAGER_BIND_ADDRESSES": "127.0.0.1:6000, 127.0.0.1:6001",
                "FULCRUM_SUBNETS_PRIVATE_SUBNET_BRIDGE": "br-env",
                "FULCRUM_QUEUE_LEASE_SECONDS": "45",
                "UNRELATED": "1",
            ])
        #expect(config.api.port == 20000)
        #expect(config.api.host == "0.0.0.0")
        #expect(config.auth.strategy == .token)
        #expect(config.healthManager.bindAddresses == ["127.0.0.1:6000", "127.0.0.1:6001"])
        #expect(config.subnets.first?.bridge == "br-env")
        #expect(config.queue.lease == .seconds(45))
    }

    @Test("subnets can be defined by environment variables alone")
    func subnetsFromEnvironment() async throws {
        let config = try await AppConfig.load(
            configPath: nil,
            environment: [
                "FULCRUM_SUBNETS_NAMES": "lab",
                "FULCRUM_SUBNETS_LAB_CIDR": "198.51.100.0/24",
                "FULCRUM_SUBNETS_LAB_BRIDGE": "fulcrum-private",
            ],
            defaultPath: "/nonexistent/fulcrum.yaml")
        #expect(config.subnets.map(\.name) == ["lab"])
        #expect(config.subnets.first?.allocationStart == IPv4Address("198.51.100.1"))
    }

    @Test("flags win over the environment")
    func overridesWin() async throws {
        let config = try await AppConfig.load(
            configPath: nil, environment: ["FULCRUM_LOGGING_LEVEL": "error"], overrides: ["logging.level": "trace"],
            defaultPath: "/nonexistent/fulcrum.yaml")
        #expect(config.logging.level == "trace")
    }

    @Test("FULCRUM_CONFIG names the file when --config is absent; an existing default file is read")
    func configPathResolution() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let named = try directory.write("named.yaml", "api:\n  port: 1111\n")
        let fallback = try directory.write("default.yaml", "api:\n  port: 2222\n")
        let viaVariable = try await AppConfig.load(
            configPath: nil, environment: ["FULCRUM_CONFIG": named], defaultPath: fallback)
        #expect(viaVariable.api.port == 1111)
        let viaDefault = try await AppConfig.load(configPath: nil, environment: [:], defaultPath: fallback)
        #expect(viaDefault.api.port == 2222)
    }

    @Test("an explicitly named file that does not exist is an error")
    func missingExplicitFile() async throws {
        let error = await #expect(throws: ConfigError.self) {
            try await AppConfig.load(configPath: "/nonexistent/fulcrum.yaml", environment: [:])
        }
        #expect(error?.code == .unreadableFile)
        #expect(error?.key == "/nonexistent/fulcrum.yaml")
    }

    @Test("a YAML list of mappings is rejected with a hint about subnets.names")
    func listOfMappings() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(
            "fulcrum.yaml", "subnets:\n  - name: a\n    cidr: 198.51.100.0/24\n    bridge: br0\n")
        let error = await #expect(throws: ConfigError.self) {
            try await AppConfig.load(configPath: path, environment: [:])
        }
        #expect(error?.code == .unreadableFile)
        #expect(error?.message.contains("names") == true)
    }

    @Test("config show redacts secrets and round-trips")
    func renderedYAML() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("fulcrum.yaml", Self.yaml)
        let config = try await AppConfig.load(configPath: path, environment: [:])
        let rendered = config.renderedYAML()
        #expect(!rendered.contains("s3cret-admin-token"))
        #expect(!rendered.contains("0123456789abcdef0123"))
        #expect(rendered.contains("admin_token: \"\"  # <redacted>"))
        #expect(!"\(config)".contains("s3cret-admin-token"))

        let again = try directory.write("again.yaml", rendered)
        let reloaded = try await AppConfig.load(
            configPath: again,
            environment: [
                "FULCRUM_AUTH_ADMIN_TOKEN": "s3cret-admin-token",
                "FULCRUM_HEALTH_MANAGER_HEARTBEAT_KEY": "0123456789abcdef0123",
            ])
        #expect(reloaded == config)
    }
}
