extension Member {
    /// Octavia's member limits (reference §1.4).
    public enum Limits {
        /// Valid `weight` values; 0 drains the member.
        public static let weightRange = 0...256
        /// `[networking] reserved_ips` default: addresses a member may not use.
        public static let reservedAddresses: Set<String> = ["169.254.169.254"]
    }

    /// Checks every rule of reference §1.4 that needs only this member; throws the first
    /// broken one. `reservedAddresses` mirrors `[networking] reserved_ips`.
    public func validate(reservedAddresses: Set<String> = Limits.reservedAddresses) throws(ValidationError) {
        try FieldRules.length(name, field: "name")
        try FieldRules.tags(tags)
        try FieldRules.ipAddress(address, field: "address")
        if Self.isReserved(address, in: reservedAddresses) {
            throw ValidationError(field: "address", "\(address) is not a valid option for member address")
        }
        try FieldRules.port(protocolPort, field: "protocol_port")
        try FieldRules.range(weight, Limits.weightRange, field: "weight")
        try FieldRules.ipAddress(monitorAddress, field: "monitor_address")
        try FieldRules.port(monitorPort, field: "monitor_port")
    }

    /// Whether `address` is one of `reserved`, comparing IPv4 addresses numerically.
    static func isReserved(_ address: String, in reserved: Set<String>) -> Bool {
        if reserved.contains(address) { return true }
        guard let parsed = IPv4Address(address) else {
            return reserved.contains(address.lowercased())
        }
        return reserved.contains { IPv4Address($0) == parsed }
    }
}
