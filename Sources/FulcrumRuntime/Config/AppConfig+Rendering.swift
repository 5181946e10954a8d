import FulcrumModel

extension AppConfig {
    /// The effective configuration as YAML in the shape of `etc/fulcrum.yaml`, with secrets redacted. Feeding
    /// the output back (minus the redacted secrets) gives the same configuration.
    public func renderedYAML() -> String {
        var lines: [String] = []
        func section(_ name: String, _ entries: [(String, String)]) {
            lines.append("\(name):")
            for (key, value) in entries { lines.append("  \(key): \(value)") }
        }
        // A set secret is shown as an empty value plus a comment, so pasting the output never installs a
        // placeholder as the real secret.
        func secret(_ value: Secret?) -> String { value == nil ? "\"\"" : "\"\"  # <redacted>" }

        section(
            "database",
            [("path", quoted(database.path)), ("busy_timeout_ms", "\(database.busyTimeout.wholeMilliseconds)")])
        section(
            "api",
            [("host", quoted(api.host)), ("port", "\(api.port)"), ("metrics_address", quoted(api.metricsAddress))])
        section("auth", [("strategy", auth.strategy.rawValue), ("admin_token", secret(auth.adminToken))])
        section(
            "worker",
            [
                ("concurrency", "\(worker.concurrency)"),
                ("drain_timeout_seconds", "\(worker.drainTimeout.wholeSeconds)"),
                ("metrics_address", quoted(worker.metricsAddress)),
                ("queue_sample_interval_seconds", "\(worker.queueSampleInterval.wholeSeconds)"),
            ])
        section(
            "queue",
            [
                ("lease_seconds", "\(queue.lease.wholeSeconds)"), ("max_attempts", "\(queue.maxAttempts)"),
                ("backoff_base_ms", "\(queue.backoffBase.wholeMilliseconds)"),
                ("backoff_max_ms", "\(queue.backoffMax.wholeMilliseconds)"),
            ])
        section(
            "health_manager",
            [
                ("bind_addresses", "[" + healthManager.bindAddresses.map(quoted).joined(separator: ", ") + "]"),
                ("heartbeat_timeout_seconds", "\(healthManager.heartbeatTimeout.wholeSeconds)"),
                ("heartbeat_interval_seconds", "\(healthManager.heartbeatInterval.wholeSeconds)"),
                ("heartbeat_key", secret(healthManager.heartbeatKey)),
                ("health_check_interval_seconds", "\(healthManager.healthCheckInterval.wholeSeconds)"),
                ("flush_interval_ms", "\(healthManager.flushInterval.wholeMilliseconds)"),
                ("metrics_address", quoted(healthManager.metricsAddress)),
            ])
        section(
            "housekeeping",
            [
                ("interval_seconds", "\(housekeeping.interval.wholeSeconds)"),
                ("spare_pool_size", "\(housekeeping.sparePoolSize)"),
                ("load_balancer_expiry_age_seconds", "\(housekeeping.loadBalancerExpiryAge.wholeSeconds)"),
                ("amphora_expiry_age_seconds", "\(housekeeping.amphoraExpiryAge.wholeSeconds)"),
                ("cleanup_interval_seconds", "\(housekeeping.cleanupInterval.wholeSeconds)"),
                ("max_rebuilds", "\(housekeeping.maxRebuilds)"),
                ("max_rebuild_percent", "\(housekeeping.maxRebuildPercent)"),
                ("rebuild_backoff_seconds", "\(housekeeping.rebuildBackoff.wholeSeconds)"),
                ("rebuild_backoff_max_seconds", "\(housekeeping.rebuildBackoffMax.wholeSeconds)"),
                ("circuit_breaker_reset_seconds", "\(housekeeping.breakerReset.wholeSeconds)"),
                ("metrics_address", quoted(housekeeping.metricsAddress)),
                ("cert_interval_seconds", "\(housekeeping.certInterval.wholeSeconds)"),
                ("cert_expiry_buffer_seconds", "\(housekeeping.certExpiryBuffer.wholeSeconds)"),
            ])
        section(
            "quotas",
            Self.quotaKeys.map { key, resource in (key, "\(quotas[resource] ?? Quota.unlimited)") })
        section("network", [("mode", network.mode.rawValue), ("lab_namespace", quoted(network.labNamespace))])
        lines.append("subnets:")
        lines.append("  names: [" + subnets.map(\.name).joined(separator: ", ") + "]")
        for subnet in subnets {
            var fields = ["cidr: \(subnet.cidr)"]
            if let gateway = subnet.gateway { fields.append("gateway: \(gateway)") }
            fields.append("allocation_start: \(subnet.allocationStart)")
            fields.append("allocation_end: \(subnet.allocationEnd)")
            fields.append("bridge: \(subnet.bridge)")
            lines.append("  \(subnet.name): {" + fields.joined(separator: ", ") + "}")
        }
        let cidrs = floatingIPs.allowedCIDRs.map { quoted($0.description) }.joined(separator: ", ")
        section(
            "floating_ips",
            [("network_namespace", quoted(floatingIPs.networkNamespace)), ("allowed_cidrs", "[" + cidrs + "]")])
        section("logging", [("level", logging.level)])
        return lines.joined(separator: "\n") + "\n"
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}

extension Duration {
    /// Whole seconds, truncated.
    var wholeSeconds: Int64 { components.seconds }
    /// Whole milliseconds, truncated.
    var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
