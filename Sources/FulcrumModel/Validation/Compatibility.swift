/// Rules that relate two objects (reference §1.2, §1.5, §1.6, §1.8). Each throws the 400 the
/// API returns when the pair does not fit.
public enum Compatibility {
    /// A pool used as a listener's default pool: same load balancer, protocol allowed by §1.8.
    public static func checkDefaultPool(_ pool: Pool, for listener: Listener) throws(ValidationError) {
        try checkSameLoadBalancer(pool, listener, field: "default_pool_id")
        try checkProtocols(pool: pool.protocol, listener: listener.protocol, field: "default_pool_id")
    }

    /// A pool created with `listener_id` (it becomes the listener's default pool).
    public static func checkPoolProtocol(_ pool: PoolProtocol, for listener: ListenerProtocol) throws(ValidationError) {
        try checkProtocols(pool: pool, listener: listener, field: "protocol")
    }

    /// A health monitor's type must suit its pool's protocol (§1.5).
    public static func checkHealthMonitor(_ type: HealthMonitorType, for pool: PoolProtocol) throws(ValidationError) {
        guard !type.isAllowed(for: pool) else { return }
        if pool.isLVS {
            let types = pool.allowedHealthMonitorTypes.map(\.rawValue).sorted().joined(separator: ", ")
            throw ValidationError(
                field: "type",
                "The associated pool protocol is \(pool.rawValue), so only a \(types) health monitor is supported."
            )
        }
        throw ValidationError(
            field: "type",
            "The \(type.rawValue) type is only supported for pools of type UDP or SCTP."
        )
    }

    /// An L7 policy may only sit on an HTTP or TERMINATED_HTTPS listener (§1.6).
    public static func checkL7PolicyListener(_ listener: ListenerProtocol) throws(ValidationError) {
        guard !listener.supportsL7Policies else { return }
        throw ValidationError(
            field: "listener_id",
            "L7 policies are only supported on HTTP and TERMINATED_HTTPS listeners, not on \(listener.rawValue)."
        )
    }

    /// A `REDIRECT_TO_POOL` target: same load balancer and protocol-compatible with the listener.
    public static func checkRedirectPool(_ pool: Pool, for listener: Listener) throws(ValidationError) {
        try checkSameLoadBalancer(pool, listener, field: "redirect_pool_id")
        try checkProtocols(pool: pool.protocol, listener: listener.protocol, field: "redirect_pool_id")
    }

    /// Each `allowed_cidrs` entry must share an IP family with one of the load balancer's VIP
    /// addresses (reference §1.2). Entries that do not parse are left to `Listener.validate()`.
    public static func checkAllowedCIDRs(_ cidrs: [String], vipAddresses: [String]) throws(ValidationError) {
        let families = Set(vipAddresses.compactMap(ipFamily))
        for cidr in cidrs {
            let address = String(cidr.split(separator: "/", maxSplits: 1).first ?? "")
            guard let family = ipFamily(address), !families.contains(family) else { continue }
            throw ValidationError(
                field: "allowed_cidrs",
                "CIDR \(cidr) IP version incompatible with all VIPs (\(vipAddresses.joined(separator: ", ")))."
            )
        }
    }

    /// 4 or 6 for a textual address, `nil` for anything else.
    private static func ipFamily(_ text: String) -> Int? {
        if IPv4Address(text) != nil { return 4 }
        return IPAddressText.isIPv6(text) ? 6 : nil
    }

    private static func checkSameLoadBalancer(_ pool: Pool, _ listener: Listener, field: String) throws(ValidationError)
    {
        guard pool.loadBalancerID != listener.loadBalancerID else { return }
        throw ValidationError(
            field: field,
            "Pool \(pool.id) is not on the same load balancer as listener \(listener.id)."
        )
    }

    private static func checkProtocols(
        pool: PoolProtocol, listener: ListenerProtocol, field: String
    )
        throws(ValidationError)
    {
        guard !pool.isCompatible(with: listener) else { return }
        throw ValidationError(
            field: field,
            "The pool protocol '\(pool.rawValue)' is invalid while the listener protocol is '\(listener.rawValue)'."
        )
    }
}
