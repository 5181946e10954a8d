public import FulcrumModel

/// Fulcrum's one typed configuration, loaded once per process by `AppConfig.load(...)` and validated before
/// any service starts. Each section is handed to the part of the system that owns it.
public struct AppConfig: Sendable, Hashable {
    /// Where the SQLite database lives.
    public var database = DatabaseConfig()
    /// The Octavia-compatible REST API listener.
    public var api = APIConfig()
    /// How the API authenticates requests.
    public var auth = AuthConfig()
    /// How many tasks a worker runs at once and how it drains.
    public var worker = WorkerConfig()
    /// Work-queue leases, attempts and retry backoff.
    public var queue = QueueConfig()
    /// Amphora builds: image, management subnet, controllers, libvirt.
    public var amphora = AmphoraSettings()
    /// The heartbeat listener and stale-amphora detection.
    public var healthManager = HealthManagerConfig()
    /// Periodic rebuild, spare-pool and purge scans.
    public var housekeeping = HousekeepingConfig()
    /// Default per-project quotas (`-1` = unlimited).
    public var quotas = Quota.seedDefaults
    /// Host bridges or the lab namespace.
    public var network = NetworkConfig()
    /// The subnets VIPs are allocated on, in configuration order.
    public var subnets: [Subnet] = []
    /// Floating IPs: which host addresses may forward to VIPs, and the namespace the VIPs are reached in.
    public var floatingIPs = FloatingIPsConfig()
    /// Log level of the process.
    public var logging = LoggingConfig()

    /// A configuration with every default.
    public init() {}
}

/// Where the SQLite database lives and how long a writer waits for the lock.
public struct DatabaseConfig: Sendable, Hashable {
    /// Path of the database file (`database.path`).
    public var path = "/var/lib/fulcrum/fulcrum.db"
    /// How long a writer waits for the lock before failing (`database.busy_timeout_ms`).
    public var busyTimeout: Duration = .milliseconds(10_000)

    /// Defaults.
    public init() {}
}

/// The REST API listener.
public struct APIConfig: Sendable, Hashable {
    /// Address to bind (`api.host`).
    public var host = "127.0.0.1"
    /// TCP port (`api.port`), Octavia's 9876.
    public var port = 9876
    /// Prometheus metrics `host:port`; empty disables (`api.metrics_address`).
    public var metricsAddress = "127.0.0.1:9105"

    /// Defaults.
    public init() {}
}

/// How API requests are authenticated.
public struct AuthConfig: Sendable, Hashable {
    /// The authentication strategy.
    public enum Strategy: String, Sendable, Hashable, CaseIterable {
        /// `X-Auth-Token` looked up in the `api_token` table (plus the admin bootstrap token).
        case token
        /// Every request is an admin of project `noauth`; for development only.
        case noauth
    }

    /// `auth.strategy`.
    public var strategy = Strategy.token
    /// `auth.admin_token`: a bootstrap token with the admin role. Never logged.
    public var adminToken: Secret?

    /// Defaults.
    public init() {}
}

/// Worker concurrency and draining.
public struct WorkerConfig: Sendable, Hashable {
    /// Tasks run at once (`worker.concurrency`).
    public var concurrency = 4
    /// How long in-flight tasks may run after shutdown starts (`worker.drain_timeout_seconds`).
    public var drainTimeout: Duration = .seconds(30)
    /// Prometheus metrics `host:port`; empty disables (`worker.metrics_address`).
    public var metricsAddress = "127.0.0.1:9106"
    /// How often the queue depth is sampled for the metrics (`worker.queue_sample_interval_seconds`).
    public var queueSampleInterval: Duration = .seconds(10)

    /// Defaults.
    public init() {}
}

/// How the worker builds amphorae (`amphora.*`) and reaches libvirt (`libvirt.*`).
public struct AmphoraSettings: Sendable, Hashable {
    /// Folder holding `vmlinuz` and `initrd.img` (`amphora.image_dir`, written by `make image`).
    public var imageDirectory = "build/image"
    /// Name of the configured subnet amphora management addresses come from (`amphora.management_subnet`).
    public var managementSubnet = "mgmt-subnet"
    /// Health-manager `ip:port` addresses the agents send heartbeats to (`amphora.controllers`).
    public var controllers = ["203.0.113.1:5555"]
    /// Agent API port (`amphora.agent_port`).
    public var agentPort = 9443
    /// Longest wait for a new amphora's agent (`amphora.boot_timeout_seconds`).
    public var bootTimeout: Duration = .seconds(180)
    /// Controller CA and per-amphora files (`amphora.state_dir`).
    public var stateDirectory = "/var/lib/fulcrum"
    /// TLS containers of TERMINATED_HTTPS listeners: `NAME.pem` per container (`certificates.container_dir`).
    public var tlsContainerDirectory = "/etc/fulcrum/certificates"
    /// libvirt URIs of the compute hosts (`libvirt.uris`).
    public var libvirtURIs = ["qemu:///system"]
    /// `automatic` (KVM, else TCG), `kvm` or `tcg` (`libvirt.accelerator`).
    public var accelerator = "automatic"
    /// Topology of a load balancer created without a flavor (`amphora.topology`, Octavia's
    /// `[controller_worker] loadbalancer_topology`).
    public var topology: Topology = .single
    /// Milliseconds between the VIP-ownership adverts of an ACTIVE_STANDBY pair
    /// (`amphora.vrrp_advert_interval_ms`, 200–10000; the BACKUP takes over after 3 missed adverts).
    public var vrrpAdvertInterval: Duration = .milliseconds(1000)

    /// Defaults.
    public init() {}
}

/// Work-queue behaviour.
public struct QueueConfig: Sendable, Hashable {
    /// How long a claim lasts without renewal (`queue.lease_seconds`).
    public var lease: Duration = .seconds(30)
    /// Attempts before a task is dead-lettered (`queue.max_attempts`).
    public var maxAttempts = 5
    /// First retry delay, doubled per attempt (`queue.backoff_base_ms`).
    public var backoffBase: Duration = .milliseconds(1000)
    /// Largest retry delay (`queue.backoff_max_ms`).
    public var backoffMax: Duration = .milliseconds(60_000)

    /// Defaults.
    public init() {}
}

/// The heartbeat listener.
public struct HealthManagerConfig: Sendable, Hashable {
    /// UDP `host:port` addresses to listen on (`health_manager.bind_addresses`).
    public var bindAddresses = ["0.0.0.0:5555"]
    /// An amphora with no heartbeat for this long is stale (`health_manager.heartbeat_timeout_seconds`).
    public var heartbeatTimeout: Duration = .seconds(60)
    /// How often amphorae send heartbeats (`health_manager.heartbeat_interval_seconds`).
    public var heartbeatInterval: Duration = .seconds(10)
    /// HMAC key shared with the amphorae (`health_manager.heartbeat_key`). Never logged.
    public var heartbeatKey: Secret?
    /// How often stale amphorae are looked for (`health_manager.health_check_interval_seconds`).
    public var healthCheckInterval: Duration = .seconds(3)
    /// How often buffered heartbeats are written, one transaction each (`health_manager.flush_interval_ms`).
    public var flushInterval: Duration = .milliseconds(100)
    /// Prometheus metrics `host:port`; empty disables (`health_manager.metrics_address`).
    public var metricsAddress = "127.0.0.1:9103"

    /// Defaults.
    public init() {}
}

/// Housekeeping scans.
public struct HousekeepingConfig: Sendable, Hashable {
    /// Time between scans (`housekeeping.interval_seconds`).
    public var interval: Duration = .seconds(10)
    /// Spare amphorae kept booted (`housekeeping.spare_pool_size`).
    public var sparePoolSize = 0
    /// Subnet (id or name) the spares' VIP NIC is on (`housekeeping.spare_vip_subnet`; default: the first
    /// configured subnet that is not the management subnet).
    public var spareVIPSubnet: String?
    /// DELETED load balancers older than this are purged (`housekeeping.load_balancer_expiry_age_seconds`).
    public var loadBalancerExpiryAge: Duration = .seconds(604_800)
    /// DELETED amphorae older than this are purged (`housekeeping.amphora_expiry_age_seconds`).
    public var amphoraExpiryAge: Duration = .seconds(604_800)
    /// Time between purge and orphan scans (`housekeeping.cleanup_interval_seconds`, Octavia: 30 s).
    public var cleanupInterval: Duration = .seconds(30)
    /// Circuit breaker: most rebuilds per failure episode (`housekeeping.max_rebuilds`).
    public var maxRebuilds = 4
    /// Circuit breaker: most rebuilds as a fraction of the fleet, percent (`housekeeping.max_rebuild_percent`).
    public var maxRebuildPercent = 50
    /// First wait before re-trying a failed rebuild; doubles per attempt (`housekeeping.rebuild_backoff_seconds`).
    public var rebuildBackoff: Duration = .seconds(15)
    /// Longest wait between rebuild attempts (`housekeeping.rebuild_backoff_max_seconds`).
    public var rebuildBackoffMax: Duration = .seconds(600)
    /// An open circuit breaker closes after this (`housekeeping.circuit_breaker_reset_seconds`).
    public var breakerReset: Duration = .seconds(3_600)
    /// Prometheus metrics `host:port`; empty disables (`housekeeping.metrics_address`).
    public var metricsAddress = "127.0.0.1:9104"
    /// Time between certificate-rotation scans (`housekeeping.cert_interval_seconds`, Octavia: 3600).
    public var certInterval: Duration = .seconds(3_600)
    /// Certificates ending within this are rotated (`housekeeping.cert_expiry_buffer_seconds`, Octavia: 14 days).
    public var certExpiryBuffer: Duration = .seconds(1_209_600)

    /// Defaults.
    public init() {}
}

/// Floating IPs (`floating_ips.*`): the forwarder in `fulcrum-api` listens on host addresses and connects to VIPs.
public struct FloatingIPsConfig: Sendable, Hashable {
    /// The network-namespace file VIPs are reached in, e.g. `/run/netns/fulcrum-lab`
    /// (`floating_ips.network_namespace`); empty: the API process's own namespace.
    public var networkNamespace = ""
    /// Networks a floating address must be in (`floating_ips.allowed_cidrs`); empty: floating IPs are refused.
    public var allowedCIDRs: [IPv4Network] = [IPv4Network("127.0.0.0/8")!]

    /// Defaults.
    public init() {}
}

/// Logging.
public struct LoggingConfig: Sendable, Hashable {
    /// `logging.level`: trace, debug, info, notice, warning, error or critical.
    public var level = "info"

    /// Defaults.
    public init() {}
}
