import Foundation
import FulcrumForwarder
import FulcrumModel
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

/// The forwarder against a real SQLite store, with a load balancer whose VIP is on a loopback subnet, so the
/// same-namespace connector reaches a backend on 127.0.0.1 (the integration tier: loopback sockets only).
@Suite("Floating IP forwarder on loopback")
struct ForwarderLoopbackTests {
    static let loopbackSubnet = Subnet(
        name: "loopback", cidr: IPv4Network("127.0.0.0/8")!, allocationStart: IPv4Address("127.0.0.1")!,
        allocationEnd: IPv4Address("127.0.0.254")!, bridge: "lo")

    /// A store with an ACTIVE load balancer whose VIP is 127.0.0.1.
    static func loopbackLoadBalancer() async throws -> (StoreFixture, LoadBalancer) {
        let fixture = try await StoreFixture()
        try await fixture.store.syncSubnets([StoreFixture.privateSubnet, loopbackSubnet])
        let lb = LoadBalancer(
            id: fixture.ids.next(), projectID: fixture.project, vipSubnetID: "loopback", vipAddress: "127.0.0.1")
        _ = try await fixture.store.create(.loadBalancer(lb), options: .init(), task: fixture.task())
        try await fixture.completeAll()
        return (fixture, try await fixture.fetch(.loadBalancer, lb.id))
    }

    static func associate(
        _ fixture: StoreFixture, _ lb: LoadBalancer, port: Int, vipPort: Int
    ) async throws -> FloatingIP {
        try await fixture.store.createFloatingIP(
            FloatingIP(
                id: fixture.ids.next(), projectID: lb.projectID, loadBalancerID: lb.id,
                floatingAddress: IPv4Address(floatingHost)!, floatingPort: port, listenerPort: vipPort))
    }

    /// Runs `body` while a forwarder (polling every 20 ms) serves `store`, then stops it gracefully.
    static func withForwarder(
        _ store: SQLiteStore, connector: any UpstreamConnector = DirectUpstreamConnector(connectTimeout: .seconds(2)),
        _ body: () async throws -> Void
    ) async throws {
        var logger = Logger(label: "forwarder-test")
        logger.logLevel = .critical
        let forwarder = FloatingIPForwarder(
            store: store, connector: connector, group: MultiThreadedEventLoopGroup.singleton,
            configuration: .init(pollInterval: .milliseconds(20)), logger: logger)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await forwarder.run() }
                try await body()
                trigger.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    @Test("associate: bytes flow both ways (with half-close); disassociate: the port refuses connections")
    func forwardsThenStops() async throws {
        let (fixture, lb) = try await Self.loopbackLoadBalancer()
        defer { fixture.directory.remove() }
        let backend = try await AnsweringBackend.start("web1")
        let port = try await freePort()
        try await Self.withForwarder(fixture.store) {
            #expect(await isRefused(port: port))
            let floating = try await Self.associate(fixture, lb, port: port, vipPort: backend.port)
            #expect(try await eventually { await !isRefused(port: port) })
            #expect(try await exchange(port: port, "hello") == "web1 got hello")
            let big = String(repeating: "0123456789abcdef", count: 64 * 1024)  // 1 MiB: back-pressure both ways
            #expect(try await exchange(port: port, big) == "web1 got " + big)

            try await fixture.store.deleteFloatingIP(id: floating.id, projectID: nil)
            #expect(try await eventually { await isRefused(port: port) })
        }
        try await backend.stop()
    }

    @Test("an upstream that does not connect closes the client; other floating IPs go on working")
    func upstreamFailureIsContained() async throws {
        let (fixture, lb) = try await Self.loopbackLoadBalancer()
        defer { fixture.directory.remove() }
        let backend = try await AnsweringBackend.start("web2")
        let dead = try await freePort()
        let broken = try await freePort()
        let working = try await freePort()
        try await Self.withForwarder(fixture.store) {
            _ = try await Self.associate(fixture, lb, port: broken, vipPort: dead)
            _ = try await Self.associate(fixture, lb, port: working, vipPort: backend.port)
            #expect(
                try await eventually {
                    let brokenOpen = await !isRefused(port: broken)
                    let workingOpen = await !isRefused(port: working)
                    return brokenOpen && workingOpen
                })
            let answer = try? await exchange(port: broken, "anyone there?")
            #expect(answer == nil || answer == "", "the client connection is closed without data")
            #expect(try await exchange(port: working, "hi") == "web2 got hi")
            #expect(await !isRefused(port: broken), "the listener survives a failed upstream")
        }
        try await backend.stop()
    }

    @Test("a port that cannot be bound is skipped, and taken up once it is free; LB delete stops forwarding")
    func busyPortAndLoadBalancerDelete() async throws {
        let (fixture, lb) = try await Self.loopbackLoadBalancer()
        defer { fixture.directory.remove() }
        let backend = try await AnsweringBackend.start("web1")
        let squatter = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: floatingHost, port: 0).get()
        let port = squatter.localAddress!.port!
        try await Self.withForwarder(fixture.store) {
            _ = try await Self.associate(fixture, lb, port: port, vipPort: backend.port)
            try await Task.sleep(for: .milliseconds(100))
            try await squatter.close()
            #expect(try await eventually { (try? await exchange(port: port, "late")) == "web1 got late" })

            _ = try await fixture.store.delete(
                ResourceRef(.loadBalancer, lb.id), projectID: nil, cascade: true, task: fixture.task())
            try await fixture.completeAll()
            #expect(try await eventually { await isRefused(port: port) })
        }
        try await backend.stop()
    }
}
