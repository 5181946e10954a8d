import FulcrumModel
import Testing

@Suite("Cross-object rules (reference §1.2, §1.5, §1.6, §1.8)")
struct CompatibilityTests {
    /// Reference §1.8 written out as the table Octavia ships.
    static let protocolMap: [ListenerProtocol: Set<PoolProtocol>] = [
        .tcp: [.http, .https, .proxy, .proxyV2, .tcp],
        .http: [.http, .proxy, .proxyV2],
        .https: [.https, .proxy, .proxyV2, .tcp],
        .terminatedHTTPS: [.http, .proxy, .proxyV2],
        .udp: [.udp],
        .sctp: [.sctp],
        .prometheus: [],
    ]

    @Test("listener → pool protocol map, all 7×7 pairs", arguments: ListenerProtocol.allCases, PoolProtocol.allCases)
    func protocolPair(_ listener: ListenerProtocol, _ pool: PoolProtocol) {
        let expected = Self.protocolMap[listener]!.contains(pool)
        #expect(pool.isCompatible(with: listener) == expected)
        expectValidation(field: expected ? nil : "protocol") { () throws(ValidationError) in
            try Compatibility.checkPoolProtocol(pool, for: listener)
        }
        var listenerValue = Fixtures.listener(listener)
        listenerValue.loadBalancerID = "lb1"
        let poolValue = Fixtures.pool(pool, lb: "lb1")
        expectValidation(field: expected ? nil : "default_pool_id") { () throws(ValidationError) in
            try Compatibility.checkDefaultPool(poolValue, for: listenerValue)
        }
    }

    @Test("a default pool must be on the listener's load balancer")
    func defaultPoolOtherLoadBalancer() {
        let listener = Fixtures.listener(.http)
        let pool = Fixtures.pool(.http, lb: "other")
        expectValidation(field: "default_pool_id") { () throws(ValidationError) in
            try Compatibility.checkDefaultPool(pool, for: listener)
        }
    }

    @Test(
        "L4 family for port uniqueness",
        arguments: [
            (ListenerProtocol.tcp, "tcp"), (.http, "tcp"), (.https, "tcp"), (.terminatedHTTPS, "tcp"),
            (.prometheus, "tcp"), (.udp, "udp"), (.sctp, "sctp"),
        ])
    func l4Family(_ proto: ListenerProtocol, _ family: String) {
        #expect(proto.l4Family == family)
    }

    @Test("health-monitor type per pool protocol", arguments: HealthMonitorType.allCases, PoolProtocol.allCases)
    func monitorType(_ type: HealthMonitorType, _ pool: PoolProtocol) {
        let expected: Bool =
            if pool == .udp || pool == .sctp {
                [.udpConnect, .sctp, .tcp, .http].contains(type)
            } else {
                type != .udpConnect && type != .sctp
            }
        #expect(type.isAllowed(for: pool) == expected)
        expectValidation(field: expected ? nil : "type") { () throws(ValidationError) in
            try Compatibility.checkHealthMonitor(type, for: pool)
        }
    }

    @Test("L7 policies only on HTTP and TERMINATED_HTTPS listeners", arguments: ListenerProtocol.allCases)
    func l7PolicyListener(_ proto: ListenerProtocol) {
        let expected = proto == .http || proto == .terminatedHTTPS
        #expect(proto.supportsL7Policies == expected)
        expectValidation(field: expected ? nil : "listener_id") { () throws(ValidationError) in
            try Compatibility.checkL7PolicyListener(proto)
        }
    }

    @Test(
        "redirect pool must be protocol-compatible and on the same load balancer",
        arguments: [
            (ListenerProtocol.http, PoolProtocol.http, "lb1", true),
            (.http, .proxy, "lb1", true),
            (.http, .tcp, "lb1", false),
            (.terminatedHTTPS, .http, "lb1", true),
            (.terminatedHTTPS, .https, "lb1", false),
            (.http, .http, "lb2", false),
        ])
    func redirectPool(_ listenerProto: ListenerProtocol, _ poolProto: PoolProtocol, _ lb: String, _ valid: Bool) {
        let listener = Fixtures.listener(listenerProto)
        let pool = Fixtures.pool(poolProto, lb: lb)
        expectValidation(field: valid ? nil : "redirect_pool_id") { () throws(ValidationError) in
            try Compatibility.checkRedirectPool(pool, for: listener)
        }
    }

    @Test(
        "allowed CIDRs must share an IP family with a VIP",
        arguments: [
            (["10.0.0.0/8"], ["192.0.2.10"], true),
            (["2001:db8::/32"], ["192.0.2.10"], false),
            (["10.0.0.0/8", "2001:db8::/32"], ["192.0.2.10", "2001:db8::5"], true),
            (["10.0.0.0/8"], ["2001:db8::5"], false),
            ([], ["192.0.2.10"], true),
        ] as [([String], [String], Bool)])
    func allowedCIDRFamilies(_ cidrs: [String], _ vips: [String], _ valid: Bool) {
        expectValidation(field: valid ? nil : "allowed_cidrs") { () throws(ValidationError) in
            try Compatibility.checkAllowedCIDRs(cidrs, vipAddresses: vips)
        }
    }
}
