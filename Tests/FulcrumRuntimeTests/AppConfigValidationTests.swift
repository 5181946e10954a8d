import Foundation
import FulcrumRuntime
import Testing

/// One bad configuration and the key its error must name.
struct BadValue: Sendable, CustomTestStringConvertible {
    let environment: [String: String]
    let key: String

    init(_ environment: [String: String], _ key: String) {
        self.environment = environment
        self.key = key
    }

    var testDescription: String {
        environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}

private func subnet(_ name: String, _ fields: [String: String]) -> [String: String] {
    var environment = ["FULCRUM_SUBNETS_NAMES": name]
    let prefix = "FULCRUM_SUBNETS_" + name.uppercased().replacingOccurrences(of: "-", with: "_") + "_"
    for (field, value) in fields { environment[prefix + field] = value }
    return environment
}

private let lab = ["CIDR": "198.51.100.0/24", "BRIDGE": "fulcrum-private"]

@Suite("AppConfig validation")
struct AppConfigValidationTests {
    static let badValues: [BadValue] = [
        BadValue(["FULCRUM_DATABASE_PATH": ""], "database.path"),
        BadValue(["FULCRUM_DATABASE_BUSY_TIMEOUT_MS": "-1"], "database.busy_timeout_ms"),
        BadValue(["FULCRUM_API_HOST": "not a host"], "api.host"),
        BadValue(["FULCRUM_API_PORT": "99999"], "api.port"),
        BadValue(["FULCRUM_API_PORT": "0"], "api.port"),
        BadValue(["FULCRUM_API_PORT": "http"], "api.port"),
        BadValue(["FULCRUM_API_METRICS_ADDRESS": "localhost:9105"], "api.metrics_address"),
        BadValue(["FULCRUM_WORKER_METRICS_ADDRESS": "127.0.0.1"], "worker.metrics_address"),
        BadValue(["FULCRUM_WORKER_QUEUE_SAMPLE_INTERVAL_SECONDS": "0"], "worker.queue_sample_interval_seconds"),
        BadValue(["FULCRUM_AUTH_STRATEGY": "keystone"], "auth.strategy"),
        BadValue(["FULCRUM_AUTH_ADMIN_TOKEN": "short"], "auth.admin_token"),
        BadValue(["FULCRUM_WORKER_CONCURRENCY": "0"], "worker.concurrency"),
        BadValue(["FULCRUM_WORKER_CONCURRENCY": "many"], "worker.concurrency"),
        BadValue(["FULCRUM_WORKER_DRAIN_TIMEOUT_SECONDS": "-5"], "worker.drain_timeout_seconds"),
        BadValue(["FULCRUM_QUEUE_LEASE_SECONDS": "-1"], "queue.lease_seconds"),
        BadValue(["FULCRUM_QUEUE_MAX_ATTEMPTS": "0"], "queue.max_attempts"),
        BadValue(["FULCRUM_QUEUE_BACKOFF_BASE_MS": "0"], "queue.backoff_base_ms"),
        BadValue(["FULCRUM_QUEUE_BACKOFF_MAX_MS": "10"], "queue.backoff_max_ms"),
        BadValue(["FULCRUM_HEALTH_MANAGER_BIND_ADDRESSES": "localhost:5555"], "health_manager.bind_addresses"),
        BadValue(["FULCRUM_HEALTH_MANAGER_BIND_ADDRESSES": "127.0.0.1:70000"], "health_manager.bind_addresses"),
        BadValue(["FULCRUM_HEALTH_MANAGER_HEARTBEAT_TIMEOUT_SECONDS": "0"], "health_manager.heartbeat_timeout_seconds"),
        BadValue(
            ["FULCRUM_HEALTH_MANAGER_HEARTBEAT_INTERVAL_SECONDS": "60"], "health_manager.heartbeat_interval_seconds"),
        BadValue(["FULCRUM_HEALTH_MANAGER_HEARTBEAT_KEY": "too-short"], "health_manager.heartbeat_key"),
        BadValue(["FULCRUM_HOUSEKEEPING_INTERVAL_SECONDS": "0"], "housekeeping.interval_seconds"),
        BadValue(["FULCRUM_HOUSEKEEPING_SPARE_POOL_SIZE": "-1"], "housekeeping.spare_pool_size"),
        BadValue(
            ["FULCRUM_HOUSEKEEPING_LOAD_BALANCER_EXPIRY_AGE_SECONDS": "-1"],
            "housekeeping.load_balancer_expiry_age_seconds"),
        BadValue(
            ["FULCRUM_HOUSEKEEPING_AMPHORA_EXPIRY_AGE_SECONDS": "week"], "housekeeping.amphora_expiry_age_seconds"),
        BadValue(["FULCRUM_QUOTAS_LOAD_BALANCER": "-2"], "quotas.load_balancer"),
        BadValue(["FULCRUM_QUOTAS_L7_RULE": "lots"], "quotas.l7_rule"),
        BadValue(["FULCRUM_LOGGING_LEVEL": "loud"], "logging.level"),
        BadValue(["FULCRUM_NETWORK_MODE": "bridged"], "network.mode"),
        BadValue(["FULCRUM_NETWORK_LAB_NAMESPACE": "../etc"], "network.lab_namespace"),
        BadValue(["FULCRUM_FLOATING_IPS_NETWORK_NAMESPACE": "fulcrum-lab"], "floating_ips.network_namespace"),
        BadValue(["FULCRUM_FLOATING_IPS_ALLOWED_CIDRS": "127.0.0.0/8,127.0.0.1/8"], "floating_ips.allowed_cidrs"),
        BadValue(["FULCRUM_FLOATING_IPS_ALLOWED_CIDRS": "loopback"], "floating_ips.allowed_cidrs"),
        BadValue(["FULCRUM_SUBNETS_NAMES": "bad.name"], "subnets.names"),
        BadValue(["FULCRUM_SUBNETS_NAMES": "names"], "subnets.names"),
        BadValue(
            [
                "FULCRUM_SUBNETS_NAMES": "lab,lab", "FULCRUM_SUBNETS_LAB_CIDR": "198.51.100.0/24",
                "FULCRUM_SUBNETS_LAB_BRIDGE": "br0",
            ], "subnets.names"),
        BadValue(subnet("lab", ["BRIDGE": "fulcrum-private"]), "subnets.lab.cidr"),
        BadValue(subnet("lab", ["CIDR": "198.51.100.0/33", "BRIDGE": "br0"]), "subnets.lab.cidr"),
        BadValue(subnet("lab", ["CIDR": "198.51.100.0/24"]), "subnets.lab.bridge"),
        BadValue(subnet("lab", lab.merging(["BRIDGE": "a-very-long-bridge-name"]) { $1 }), "subnets.lab.bridge"),
        BadValue(subnet("lab", lab.merging(["GATEWAY": "198.51.100.300"]) { $1 }), "subnets.lab.gateway"),
        BadValue(subnet("lab", lab.merging(["GATEWAY": "203.0.113.1"]) { $1 }), "subnets.lab"),
        BadValue(subnet("lab", lab.merging(["ALLOCATION_START": "x"]) { $1 }), "subnets.lab.allocation_start"),
        BadValue(subnet("lab", lab.merging(["ALLOCATION_END": "203.0.113.9"]) { $1 }), "subnets.lab"),
        BadValue(
            subnet(
                "my-lab",
                lab.merging(["ALLOCATION_START": "198.51.100.200", "ALLOCATION_END": "198.51.100.100"]) { $1 }),
            "subnets.my-lab"),
        BadValue(
            [
                "FULCRUM_SUBNETS_NAMES": "a,b",
                "FULCRUM_SUBNETS_A_CIDR": "198.51.100.0/24", "FULCRUM_SUBNETS_A_BRIDGE": "br-a",
                "FULCRUM_SUBNETS_B_CIDR": "198.51.100.128/25", "FULCRUM_SUBNETS_B_BRIDGE": "br-b",
            ], "subnets.b.cidr"),
    ]

    @Test("every bad value is rejected with an error naming its key", arguments: badValues)
    func namesTheKey(_ bad: BadValue) async throws {
        let error = await #expect(throws: ConfigError.self) {
            try await AppConfig.load(configPath: nil, environment: bad.environment, defaultPath: "/nonexistent")
        }
        let thrown = try #require(error)
        #expect(thrown.key == bad.key)
        #expect(thrown.description.hasPrefix(bad.key + ": "))
    }

    @Test("the error names the environment variable a bad value came from")
    func namesTheVariable() async throws {
        let error = await #expect(throws: ConfigError.self) {
            try await AppConfig.load(
                configPath: nil, environment: ["FULCRUM_API_PORT": "99999"], defaultPath: "/nonexistent")
        }
        #expect(error?.description == "api.port: 99999 is not a port (1...65535) (from FULCRUM_API_PORT)")
    }

    @Test("a bad value in the file names the key and no variable")
    func badValueInFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("fulcrum.yaml", "api:\n  port: 99999\n")
        let error = await #expect(throws: ConfigError.self) {
            try await AppConfig.load(configPath: path, environment: [:])
        }
        #expect(error?.description == "api.port: 99999 is not a port (1...65535)")
    }

    @Test("a secret is never echoed in an error")
    func secretNotEchoed() async throws {
        let error = await #expect(throws: ConfigError.self) {
            try await AppConfig.load(
                configPath: nil, environment: ["FULCRUM_AUTH_ADMIN_TOKEN": "abc def"], defaultPath: "/nonexistent")
        }
        #expect(error?.key == "auth.admin_token")
        #expect(error?.description.contains("abc def") == false)
    }

    @Test("fulcrum-health-manager requires a heartbeat key; other roles do not")
    func roleRequirements() throws {
        let config = AppConfig()
        #expect(throws: Never.self) { try config.validate(for: .worker) }
        #expect(throws: Never.self) { try config.validate(for: .api) }
        #expect(throws: Never.self) { try config.validate(for: .housekeeping) }
        let error = #expect(throws: ConfigError.self) { try config.validate(for: .healthManager) }
        #expect(error?.key == "health_manager.heartbeat_key")
    }
}
