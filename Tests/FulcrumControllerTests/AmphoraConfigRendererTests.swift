import FulcrumController
import FulcrumModel
import FulcrumWire
import Testing

@Suite("Amphora config renderer")
struct AmphoraConfigRendererTests {
    static func tree() -> LoadBalancerTree {
        let lb = LoadBalancer(
            id: "lb", projectID: "p", provisioningStatus: .active, vipSubnetID: "s", vipAddress: "198.51.100.22")
        return LoadBalancerTree(
            loadBalancer: lb,
            listeners: [
                Listener(
                    id: "l80", projectID: "p", loadBalancerID: "lb", provisioningStatus: .active, protocol: .http,
                    protocolPort: 80,
                    defaultPoolID: "pool", insertHeaders: ["X-Forwarded-For": "true"]),
                Listener(
                    id: "l-off", projectID: "p", loadBalancerID: "lb", adminStateUp: false, protocol: .tcp,
                    protocolPort: 81),
                Listener(
                    id: "l-going", projectID: "p", loadBalancerID: "lb", provisioningStatus: .pendingDelete,
                    protocol: .tcp,
                    protocolPort: 82),
            ],
            pools: [
                Pool(
                    id: "pool", projectID: "p", loadBalancerID: "lb", protocol: .http, lbAlgorithm: .leastConnections,
                    sessionPersistence: SessionPersistence(type: .appCookie, cookieName: "JSESSIONID"))
            ],
            members: [
                Member(id: "web1", projectID: "p", poolID: "pool", address: "198.51.100.16", protocolPort: 80),
                Member(
                    id: "web2", projectID: "p", poolID: "pool", adminStateUp: false, address: "198.51.100.17",
                    protocolPort: 80, weight: 3),
                Member(
                    id: "gone", projectID: "p", poolID: "pool", provisioningStatus: .pendingDelete,
                    address: "198.51.100.18", protocolPort: 80),
            ],
            healthMonitors: [
                HealthMonitor(
                    id: "hm", projectID: "p", poolID: "pool", type: .http, delay: 5, timeout: 10, maxRetries: 2,
                    urlPath: "/health")
            ],
            l7Policies: [
                L7Policy(id: "second", projectID: "p", listenerID: "l80", action: .reject, position: 2),
                L7Policy(
                    id: "first", projectID: "p", listenerID: "l80", action: .redirectToPool, redirectPoolID: "pool",
                    position: 1),
            ],
            l7Rules: [
                L7Rule(
                    id: "r", projectID: "p", l7PolicyID: "first", type: .path, compareType: .startsWith, value: "/api")
            ])
    }

    @Test("a PROMETHEUS listener reaches the amphora as one, without a pool")
    func prometheusListener() {
        var tree = Self.tree()
        tree.listeners.append(
            Listener(
                id: "metrics", projectID: "p", loadBalancerID: "lb", provisioningStatus: .active, protocol: .prometheus,
                protocolPort: 9100))
        let amphora = Amphora(id: "amp", loadBalancerID: "lb", role: .standalone, status: .allocated)
        let config = AmphoraConfigRenderer.render(tree, amphora: amphora, generation: 7)
        let listener = config.listeners.first { $0.id == "metrics" }
        #expect(listener?.protocol == .prometheus)
        #expect(listener?.port == 9100)
        #expect(listener?.defaultPoolId == nil)
    }

    @Test("renders live, enabled objects with their settings; admin-down members stay, disabled")
    func render() throws {
        let amphora = Amphora(id: "amp", loadBalancerID: "lb", role: .standalone, status: .allocated)
        let config = AmphoraConfigRenderer.render(Self.tree(), amphora: amphora, generation: 7)
        #expect(config.generation == 7)
        #expect(config.amphoraId == "amp")
        #expect(config.vip == "198.51.100.22")
        #expect(config.listeners.map(\.id) == ["l80"], "admin-down and PENDING_DELETE listeners are not served")
        let listener = try #require(config.listeners.first)
        #expect(listener.protocol == .http)
        #expect(listener.defaultPoolId == "pool")
        #expect(listener.insertHeaders == ["X-Forwarded-For": "true"])
        #expect(listener.timeouts.memberConnectMs == 5_000)
        #expect(listener.l7Policies.map(\.id) == ["first", "second"], "in position order")
        #expect(listener.l7Policies.first?.rules.map(\.value) == ["/api"])
        let pool = try #require(config.pools.first)
        #expect(pool.algorithm == .leastConnections)
        #expect(pool.sessionPersistence?.cookieName == "JSESSIONID")
        #expect(pool.members.map(\.id) == ["web1", "web2"])
        #expect(pool.members.map(\.adminStateUp) == [true, false])
        #expect(pool.members.last?.weight == 3)
        #expect(pool.healthMonitor?.urlPath == "/health")
        #expect(pool.healthMonitor?.maxRetriesDown == 3)
    }

    @Test("an admin-down load balancer serves nothing")
    func disabledLoadBalancer() {
        var tree = Self.tree()
        tree.loadBalancer.adminStateUp = false
        let config = AmphoraConfigRenderer.render(tree, amphora: Amphora(id: "amp"), generation: 1)
        #expect(config.listeners.isEmpty)
        #expect(config.pools.isEmpty)
    }
}
