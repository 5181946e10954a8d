import Foundation
import FulcrumCertificates
import FulcrumController
import FulcrumDrivers
import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumTestSupport
import FulcrumWire
import Logging
import Testing

/// The worker's flows on the real SQLite store with compute and agent stand-ins.
@Suite("Load-balancer flows")
struct LoadBalancerFlowTests {
    static let management = Subnet(
        name: "mgmt-subnet", cidr: IPv4Network("203.0.113.0/24")!, gateway: IPv4Address("203.0.113.1")!,
        allocationStart: IPv4Address("203.0.113.10")!, allocationEnd: IPv4Address("203.0.113.200")!,
        bridge: "fulcrum-mgmt")

    struct Harness {
        let fixture: StoreFixture
        let compute = MemoryComputeDriver()
        let agents = RecordingAmphoraDriver()
        let dispatcher: FlowDispatcher

        init(
            agentWaitAttempts: Int = 3, faults: (any FlowFaults)? = nil,
            tls: MemoryTLSContainerStore = MemoryTLSContainerStore()
        ) async throws {
            fixture = try await StoreFixture()
            try await fixture.store.syncSubnets([StoreFixture.privateSubnet, LoadBalancerFlowTests.management])
            let ca = try LocalCertificateAuthority.loadOrCreate(directory: fixture.directory.path + "/ca")
            let environment = WorkerEnvironment(
                store: fixture.store, compute: compute, agents: agents, certificates: ca,
                ids: SequentialIDs(prefix: "amp"),
                clock: fixture.clock,
                settings: .init(
                    image: AmphoraImage(kernelPath: "/images/vmlinuz", initrdPath: "/images/initrd.img"),
                    managementSubnet: "mgmt-subnet", managementBridge: "fulcrum-mgmt",
                    controllers: ["203.0.113.1:5555"],
                    heartbeatKey: "the-deployment-heartbeat-key", agentWaitAttempts: agentWaitAttempts,
                    agentWaitInterval: .milliseconds(1)), tlsContainers: tls)
            dispatcher = FlowDispatcher(
                builders: Flows.builders(environment), logger: Logger(label: "test"), faults: faults)
        }

        /// Runs every queued task through the dispatcher like a worker; returns the dispositions of failures.
        @discardableResult
        func work() async throws -> [FailureDisposition] {
            var failures: [FailureDisposition] = []
            while let claimed = try await fixture.store.queue.claim(owner: "worker") {
                do {
                    try await fixture.store.queue.complete(claimed.lease, changes: try await dispatcher.handle(claimed))
                } catch {
                    failures.append(
                        try await fixture.store.queue.fail(
                            claimed.lease, error: "\(error)", retryable: !(error is PermanentTaskError)))
                }
            }
            return failures
        }
    }

    @Test("create boots one STANDALONE amphora with secrets only in its archive and pushes the configuration")
    func create() async throws {
        let h = try await Harness()
        defer { h.fixture.directory.remove() }
        let lb = LoadBalancer(id: "lb-1", projectID: h.fixture.project, vipSubnetID: "private-subnet")
        _ = try await h.fixture.store.create(
            .loadBalancer(lb), options: .init(), task: TaskRequest(kind: "loadbalancer.create"))
        #expect(try await h.work().isEmpty)
        #expect(try await h.fixture.status(ResourceRef(.loadBalancer, "lb-1")) == .active)
        let amphora = try #require(
            try await h.fixture.store.amphorae(loadBalancerID: "lb-1", includeDeleted: false).first)
        #expect(amphora.status == .allocated)
        #expect(amphora.role == .standalone)
        #expect(amphora.lbNetworkIP == "203.0.113.10")
        #expect(amphora.certExpiration != nil)
        let spec = try #require(await h.compute.builtSpecs.first)
        #expect(spec.nics.map(\.bridge) == ["fulcrum-mgmt", "fulcrum-private"])
        #expect(spec.bootParameters["mgmt"] == "203.0.113.10/24")
        #expect(spec.bootParameters["vip"] == "198.51.100.10/24")
        #expect(Set(spec.secrets.keys) == ["agent.json", "server.pem", "server.key", "client-ca.pem"])
        let file = try WireJSON.decode(AgentConfigFile.self, from: try #require(spec.secrets["agent.json"]))
        #expect(file.agent.heartbeatKey == "the-deployment-heartbeat-key")
        #expect(file.agent.api?.certificateChainFile == "/secrets/server.pem")
        #expect(!spec.bootParameters.values.contains { $0.contains("heartbeat") || $0.contains("PRIVATE KEY") })
        let applied = try #require(await h.agents.applied[amphora.id]?.last)
        #expect(applied.vip == "198.51.100.10")
    }

    @Test("child changes re-render the configuration; delete removes VM, addresses and amphora")
    func childrenAndDelete() async throws {
        let h = try await Harness()
        defer { h.fixture.directory.remove() }
        let lb = LoadBalancer(id: "lb-1", projectID: h.fixture.project, vipSubnetID: "private-subnet")
        _ = try await h.fixture.store.create(
            .loadBalancer(lb), options: .init(), task: TaskRequest(kind: "loadbalancer.create"))
        try await h.work()
        let listener = Listener(
            id: "l1", projectID: h.fixture.project, loadBalancerID: "lb-1", protocol: .http, protocolPort: 80)
        _ = try await h.fixture.store.create(
            .listener(listener), options: .init(), task: TaskRequest(kind: "listener.create"))
        try await h.work()
        let pool = Pool(
            id: "p1", projectID: h.fixture.project, loadBalancerID: "lb-1", protocol: .http, lbAlgorithm: .roundRobin)
        _ = try await h.fixture.store.create(
            .pool(pool), options: .init(defaultPoolOfListener: "l1"), task: TaskRequest(kind: "pool.create"))
        try await h.work()
        for (id, address) in [("web1", "198.51.100.16"), ("web2", "198.51.100.17")] {
            let member = Member(id: id, projectID: h.fixture.project, poolID: "p1", address: address, protocolPort: 80)
            _ = try await h.fixture.store.create(
                .member(member), options: .init(), task: TaskRequest(kind: "member.create"))
            try await h.work()
        }
        let amphora = try #require(
            try await h.fixture.store.amphorae(loadBalancerID: "lb-1", includeDeleted: false).first)
        let config = try #require(await h.agents.applied[amphora.id]?.last)
        #expect(config.listeners.map(\.port) == [80])
        #expect(config.pools.first?.members.map(\.address) == ["198.51.100.16", "198.51.100.17"])
        #expect(try await h.fixture.status(ResourceRef(.member, "web2")) == .active)
        let monitor = HealthMonitor(
            id: "hm", projectID: h.fixture.project, poolID: "p1", type: .tcp, delay: 5, timeout: 5, maxRetries: 2)
        _ = try await h.fixture.store.create(
            .healthMonitor(monitor), options: .init(), task: TaskRequest(kind: "healthmonitor.create"))
        #expect(try await h.work().isEmpty)
        #expect(
            try await h.fixture.store.resource(ResourceRef(.healthMonitor, "hm"), projectID: nil)?.operatingStatus
                == .online,
            "a monitor is ONLINE once active, as in Octavia")
        // A member delete is rendered without the member before its row goes.
        _ = try await h.fixture.store.delete(
            ResourceRef(.member, "web2"), projectID: nil, cascade: false, task: TaskRequest(kind: "member.delete"))
        try await h.work()
        #expect(await h.agents.applied[amphora.id]?.last?.pools.first?.members.map(\.id) == ["web1"])
        #expect(try await h.fixture.store.resource(ResourceRef(.member, "web2"), projectID: nil) == nil)
        // Cascade delete of the load balancer.
        _ = try await h.fixture.store.delete(
            ResourceRef(.loadBalancer, "lb-1"), projectID: nil, cascade: true,
            task: TaskRequest(kind: "loadbalancer.delete"))
        try await h.work()
        #expect(try await h.compute.list().isEmpty)
        #expect(try await h.fixture.store.amphora(id: amphora.id)?.status == .deleted)
        #expect(try await h.fixture.store.allocations(subnetID: "mgmt-subnet").isEmpty)
        #expect(try await h.fixture.store.allocations(subnetID: "private-subnet").isEmpty)
    }

    @Test("an agent that never answers reverts the build (VM deleted, address released) and retries; never PENDING")
    func agentNeverAnswers() async throws {
        let h = try await Harness(agentWaitAttempts: 2)
        defer { h.fixture.directory.remove() }
        for index in 1...10 { await h.agents.setUnreachable("amp-\(String(format: "%04d", index))") }
        let lb = LoadBalancer(id: "lb-1", projectID: h.fixture.project, vipSubnetID: "private-subnet")
        _ = try await h.fixture.store.create(
            .loadBalancer(lb), options: .init(), task: TaskRequest(kind: "loadbalancer.create", maxAttempts: 2))
        #expect(try await h.work().count == 1, "first attempt failed, retry scheduled")
        #expect(try await h.compute.list().isEmpty, "the VM was reverted")
        #expect(try await h.fixture.store.allocations(subnetID: "mgmt-subnet").isEmpty)
        #expect(try await h.fixture.status(ResourceRef(.loadBalancer, "lb-1")) == .pendingCreate)
        h.fixture.clock.advance(by: .seconds(120))
        #expect(try await h.work() == [.dead])
        #expect(try await h.fixture.status(ResourceRef(.loadBalancer, "lb-1")) == .error)
    }

    /// Every step of a cold SINGLE create, in order: the cold build (run by the acquire step), the build subflow,
    /// the outer flow.
    static let createSteps = [
        "loadbalancer.id", "amphora.create.standalone", "amphora.certificate.standalone", "amphora.boot.standalone",
        "amphora.wait.standalone", "amphora.acquire.standalone", "amphorae.build",
        "amphora.configure",
    ]

    @Test(
        "a fault injected after any create step: LB ERROR, no VM, no address but the VIP; delete frees the VIP",
        arguments: createSteps)
    func injectedFault(step: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.path + "/faults"
        try "# a comment\n\(step)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let h = try await Harness(faults: FaultFile(path: file))
        defer { h.fixture.directory.remove() }
        let lb = LoadBalancer(id: "lb-1", projectID: h.fixture.project, vipSubnetID: "private-subnet")
        _ = try await h.fixture.store.create(
            .loadBalancer(lb), options: .init(), task: TaskRequest(kind: "loadbalancer.create", maxAttempts: 1))
        #expect(try await h.work() == [.dead])
        #expect(try await h.fixture.status(ResourceRef(.loadBalancer, "lb-1")) == .error)
        #expect(try await h.compute.list().isEmpty, "the VM was reverted")
        #expect(try await h.fixture.store.allocations(subnetID: "mgmt-subnet").isEmpty)
        #expect(try await h.fixture.store.allocations(subnetID: "private-subnet").map(\.ownerID) == ["lb-1"])
        #expect(
            try await h.fixture.store.amphorae(loadBalancerID: "lb-1", includeDeleted: false).isEmpty,
            "every amphora row the attempt created is DELETED")
        // The ERROR load balancer can be deleted; that frees its VIP.
        _ = try await h.fixture.store.delete(
            ResourceRef(.loadBalancer, "lb-1"), projectID: nil, cascade: true,
            task: TaskRequest(kind: "loadbalancer.delete"))
        try "".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await h.work().isEmpty)
        #expect(try await h.fixture.store.allocations(subnetID: "private-subnet").isEmpty)
    }

    @Test("a TERMINATED_HTTPS listener gets its containers' PEM in the pushed config; an unreadable ref is ERROR")
    func terminatedHTTPS() async throws {
        let tls = MemoryTLSContainerStore([
            "www": TLSContainer(certificateChainPEM: "WWW-CHAIN", privateKeyPEM: "WWW-KEY"),
            "api": TLSContainer(certificateChainPEM: "API-CHAIN", privateKeyPEM: "API-KEY"),
            "clients": TLSContainer(certificateChainPEM: "CLIENT-CA"),
        ])
        let h = try await Harness(tls: tls)
        defer { h.fixture.directory.remove() }
        let lb = LoadBalancer(id: "lb-1", projectID: h.fixture.project, vipSubnetID: "private-subnet")
        _ = try await h.fixture.store.create(
            .loadBalancer(lb), options: .init(), task: TaskRequest(kind: "loadbalancer.create"))
        try await h.work()
        let listener = Listener(
            id: "l1", projectID: h.fixture.project, loadBalancerID: "lb-1", protocol: .terminatedHTTPS,
            protocolPort: 443, defaultTLSContainerRef: "www",
            sniContainerRefs: ["api"], clientCATLSContainerRef: "clients", clientAuthentication: .optional)
        _ = try await h.fixture.store.create(
            .listener(listener), options: .init(), task: TaskRequest(kind: "listener.create", maxAttempts: 1))
        #expect(try await h.work().isEmpty)
        let amphora = try #require(
            try await h.fixture.store.amphorae(loadBalancerID: "lb-1", includeDeleted: false).first)
        let material = try #require(await h.agents.applied[amphora.id]?.last?.listeners.first?.tls)
        #expect(material.certificateRefs == ["www", "api"])
        #expect(material.certificateChainPem == "WWW-CHAIN" && material.privateKeyPem == "WWW-KEY")
        #expect(material.sniCertificates.map(\.certificateChainPem) == ["API-CHAIN"])
        #expect(material.clientCaPem == "CLIENT-CA" && material.clientAuthentication == "OPTIONAL")

        let broken = Listener(
            id: "l2", projectID: h.fixture.project, loadBalancerID: "lb-1", protocol: .terminatedHTTPS,
            protocolPort: 8443, defaultTLSContainerRef: "missing")
        _ = try await h.fixture.store.create(
            .listener(broken), options: .init(), task: TaskRequest(kind: "listener.create", maxAttempts: 1))
        #expect(try await h.work() == [.dead])
        #expect(try await h.fixture.status(ResourceRef(.listener, "l2")) == .error)
        #expect(try await h.fixture.status(ResourceRef(.loadBalancer, "lb-1")) == .active)
        // the ERROR listener with its bad ref can be deleted (its containers are not needed any more)
        _ = try await h.fixture.store.delete(
            ResourceRef(.listener, "l2"), projectID: nil, cascade: false,
            task: TaskRequest(kind: "listener.delete", maxAttempts: 1))
        #expect(try await h.work().isEmpty)
        #expect(try await h.fixture.store.resource(ResourceRef(.listener, "l2"), projectID: nil) == nil)
    }
}
