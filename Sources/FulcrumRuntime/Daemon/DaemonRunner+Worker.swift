import Foundation
import FulcrumAmphoraClient
import FulcrumCertificates
import FulcrumController
import FulcrumDrivers
import FulcrumLibvirt
import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import Logging
import Prometheus
import ServiceLifecycle

extension DaemonRunner {
    /// `fulcrum-worker`: claims tasks and runs their flows with the libvirt compute driver, the
    /// mTLS agent client and the local CA; samples the queue depth and serves its metrics.
    func workerServices(database: FulcrumDatabase, logger: Logger) throws -> [any Service] {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let queueMetrics = QueueMetrics(factory: factory, kinds: Flows.kinds)
        let flowMetrics = FlowMetrics(factory: factory, flows: Flows.kinds)
        let settings = config.amphora
        let queueConfiguration = QueueConfiguration(
            leaseDuration: config.queue.lease, maxAttempts: config.queue.maxAttempts,
            backoffBase: config.queue.backoffBase,
            backoffMax: config.queue.backoffMax)
        let store = SQLiteStore(database: database, defaultQuota: config.quotas, queueConfiguration: queueConfiguration)
        let (ca, agents) = try agentAccess(commonName: "fulcrum-worker")
        let compute = computeDriver(logger: logger)
        let management = config.subnets.first {
            $0.name == settings.managementSubnet || $0.id == settings.managementSubnet
        }
        let waitInterval = Duration.seconds(1)
        let environment = WorkerEnvironment(
            store: store, compute: compute, agents: agents, certificates: ca,
            settings: .init(
                image: AmphoraImage(
                    kernelPath: settings.imageDirectory + "/vmlinuz",
                    initrdPath: settings.imageDirectory + "/initrd.img"),
                managementSubnet: settings.managementSubnet, managementBridge: management?.bridge ?? "fulcrum-mgmt",
                controllers: settings.controllers, heartbeatKey: config.healthManager.heartbeatKey?.value ?? "",
                heartbeatIntervalMs: Int(config.healthManager.heartbeatInterval.components.seconds) * 1_000,
                agentPort: settings.agentPort,
                agentWaitAttempts: Int(settings.bootTimeout.components.seconds / waitInterval.components.seconds),
                agentWaitInterval: waitInterval, vrrpAdvertInterval: settings.vrrpAdvertInterval),
            metrics: flowMetrics, tlsContainers: DirectoryTLSContainerStore(directory: settings.tlsContainerDirectory))
        // Test hook only: VM tests name steps in this file to make them fail (FaultFile).
        let faults = ProcessInfo.processInfo.environment["FULCRUM_TEST_FAULT_FILE"].map(FaultFile.init(path:))
        if let faults {
            logger.warning("flow fault injection is on (test hook)", metadata: ["file": "\(faults.path)"])
        }
        let worker = TaskWorker(
            queue: store.queue,
            handler: FlowDispatcher(
                builders: Flows.builders(environment), logger: logger, metrics: flowMetrics, faults: faults),
            configuration: .init(
                owner: "\(ProcessInfo.processInfo.hostName)/\(getpid())", concurrency: config.worker.concurrency,
                drainTimeout: config.worker.drainTimeout, renewInterval: config.queue.lease / 3),
            metrics: queueMetrics, logger: logger)
        var services: [any Service] = [
            ShutdownService(name: "agent-client") { try await agents.shutdown() }, worker,
            QueueDepthSampler(
                queue: store.queue, metrics: queueMetrics, interval: config.worker.queueSampleInterval, logger: logger),
        ]
        if let (host, port) = Self.hostPort(config.worker.metricsAddress) {
            services.append(MetricsServer(host: host, port: port, registry: registry, logger: logger))
        }
        return services
    }
}

extension DaemonRunner {
    /// The controller CA (created on first use under the state directory) and an mTLS agent client with a
    /// client certificate it issued.
    func agentAccess(commonName: String) throws -> (LocalCertificateAuthority, AgentClient) {
        let ca = try LocalCertificateAuthority.loadOrCreate(directory: config.amphora.stateDirectory + "/ca")
        let client = try ca.issueClientCertificate(commonName: commonName, validity: .seconds(365 * 86_400))
        let agents = try AgentClient(
            identity: .init(
                caCertificatePEM: ca.caCertificatePEM, clientCertificatePEM: client.certificatePEM,
                clientPrivateKeyPEM: client.privateKeyPEM), logger: logger)
        return (ca, agents)
    }

    /// The libvirt compute driver over the configured hosts.
    func computeDriver(logger: Logger) -> LibvirtComputeDriver {
        let settings = config.amphora
        return LibvirtComputeDriver(
            configuration: LibvirtConfiguration(
                uris: settings.libvirtURIs, stateDirectory: settings.stateDirectory + "/amphorae",
                accelerator: LibvirtConfiguration.Accelerator(rawValue: settings.accelerator) ?? .automatic),
            logger: logger)
    }
}
