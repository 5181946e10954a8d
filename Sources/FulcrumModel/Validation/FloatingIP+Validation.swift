extension FloatingIP {
    /// Checks the ports, and that the address is a host address inside one of `allowedNetworks`.
    public func validate(allowedNetworks: [IPv4Network]) throws(ValidationError) {
        try FieldRules.port(floatingPort, field: "floating_port")
        try FieldRules.port(listenerPort, field: "protocol_port")
        if floatingAddress.rawValue == 0 || floatingAddress.rawValue == UInt32.max {
            throw ValidationError(
                field: "floating_ip_address",
                "Value: '\(floatingAddress)'. The forwarder listens on one host address, not a wildcard or broadcast.")
        }
        guard allowedNetworks.contains(where: { $0.contains(floatingAddress) }) else {
            let allowed = allowedNetworks.map(\.description).joined(separator: ", ")
            throw ValidationError(
                field: "floating_ip_address",
                "Value: '\(floatingAddress)'. Floating IPs must be in \(allowed.isEmpty ? "(none allowed)" : allowed)"
                    + " (floating_ips.allowed_cidrs).")
        }
    }
}
