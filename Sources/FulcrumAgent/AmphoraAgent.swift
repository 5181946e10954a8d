public import FoundationEssentials
public import FulcrumEngine
public import FulcrumWire
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// The in-amphora service: serves the config's listeners through the engine, sends heartbeats and, on an
/// ACTIVE_STANDBY amphora, owns the VIP while MASTER (``VIPOwner``).
public final class AmphoraAgent: Service, Sendable {
    /// The engine serving the listeners.
    public let engine: Engine
    private let settings: AgentSettings
    private let initial: AmphoraConfig
    let group: MultiThreadedEventLoopGroup
    let logger: Logger
    private let api: AgentAPIConfiguration?
    /// Identifies this process's life in heartbeats.
    public let bootId: String
    let vipActuator: any VIPActuator
    /// Every applied config, in order, for the VIP supervisor.
    let applied = AsyncStream.makeStream(of: AmphoraConfig.self)
    /// The VIP owner running now, if any.
    let vipOwner = Mutex<VIPOwner?>(nil)
    /// Where every applied config is written back (the `--config` file), with the generation written last.
    private let configFile: String?
    private let savedGeneration: Mutex<UInt64>

    /// Creates an agent for a parsed config file; `api` (PEM already loaded) enables the mTLS agent API;
    /// `vipActuator` changes host networking for an ACTIVE_STANDBY amphora (default: busybox `ip` and `arping`
    /// at the paths of the file's settings).
    ///
    /// With `configFile` (the file `file` was read from), every config the agent applies is written back to it
    /// (0600, atomically, the agent settings unchanged), as the agent API already does with a rotated certificate:
    /// an agent that /init restarts after a crash serves what the controller last pushed, not the boot-time config.
    public init(
        file: AgentConfigFile, api: AgentAPIConfiguration? = nil, logger: Logger,
        bootId: String = UUID().uuidString.lowercased(), vipActuator: (any VIPActuator)? = nil,
        configFile: String? = nil
    ) {
        self.configFile = configFile
        self.savedGeneration = Mutex(file.amphora.generation)
        self.api = api
        self.vipActuator =
            vipActuator
            ?? IPCommandActuator(
                configuration: .init(
                    ipPath: file.agent.ipPath ?? "/bin/ip", arpingPath: file.agent.arpingPath ?? "/bin/arping"))
        self.settings = file.agent
        self.initial = file.amphora
        self.logger = logger
        self.bootId = bootId
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: file.agent.eventLoops)
        self.engine = Engine(
            group: group,
            configuration: EngineConfiguration(
                bindHost: file.agent.listenerBindHost, drainTimeout: .milliseconds(Int64(file.agent.drainTimeoutMs))))
    }

    /// The VIP owner's state, health and counters; nil on a STANDALONE amphora.
    public var vrrpStatus: VIPOwner.Status? { vipOwner.withLock { $0?.status } }

    /// Applies `config` to the engine (as `PUT /v1/config` does) and hands it to the VIP owner.
    @discardableResult
    public func apply(_ config: AmphoraConfig) async throws -> ApplyResult {
        _ = try VIPOwner.Settings(config)
        let result = try await engine.apply(config)
        if result.applied { didApply(config) }
        return result
    }

    /// Hands an applied config to the VIP owner and writes it back to the config file.
    private func didApply(_ config: AmphoraConfig) {
        applied.continuation.yield(config)
        guard let configFile else { return }
        savedGeneration.withLock { saved in
            // applies are ordered by generation; a late writer of an older one must not win
            guard config.generation > saved else { return }
            do {
                let bytes = try WireJSON.encode(AgentConfigFile(agent: settings, amphora: config))
                try AgentAPI.save(String(decoding: bytes, as: UTF8.self), to: configFile)
                saved = config.generation
            } catch {
                logger.warning(
                    "applied config not saved; a restarted agent would start from an older one",
                    metadata: ["path": "\(configFile)", "generation": "\(config.generation)", "error": "\(error)"])
            }
        }
    }

    /// Applies the initial config, then sends heartbeats (and owns the VIP) until graceful shutdown.
    public func run() async throws {
        try await apply(initial)
        logger.info(
            "agent started",
            metadata: [
                "amphora.id": "\(initial.amphoraId)", "listeners": "\(initial.listeners.count)",
                "ping.method": "\(engine.pingMethod.rawValue)",
            ])
        let server = try api.map {
            try AgentAPI(
                engine: engine, amphoraId: initial.amphoraId, bootId: bootId, configuration: $0, logger: logger,
                vrrpState: { self.vrrpStatus?.state.rawValue },
                onApplied: { self.didApply($0) })
        }
        try await withThrowingDiscardingTaskGroup { group in
            if let server {
                group.addTask { try await server.run() }
            }
            try await withThrowingDiscardingTaskGroup { heartbeats in
                heartbeats.addTask { await self.superviseVIP() }
                try await sendHeartbeats()
                // the supervisor releases the VIP and returns; only then do the API and engine stop
                applied.continuation.finish()
            }
            group.cancelAll()
        }
        await engine.shutdown()
        try await group.shutdownGracefully()
        logger.info("agent stopped", metadata: ["amphora.id": "\(initial.amphoraId)"])
    }

    private func sendHeartbeats() async throws {
        let controllers = settings.controllers.compactMap(ControllerAddress.init)
        let codec = HeartbeatCodec(key: settings.heartbeatKey)
        var composer = HeartbeatComposer(amphoraId: initial.amphoraId, bootId: bootId)
        let socket = try await DatagramBootstrap(group: group).bind(host: settings.heartbeatBindHost, port: 0).get()
        defer { socket.close(promise: nil) }
        var next = 0
        let interval = Duration.milliseconds(settings.heartbeatIntervalMs)
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            if !controllers.isEmpty {
                let snapshot = await engine.heartbeatSnapshot()
                let message = composer.next(listeners: snapshot.listeners, pools: snapshot.pools)
                let target = controllers[next % controllers.count]
                next += 1
                do {
                    let datagram = try codec.seal(message)
                    let address = try SocketAddress(ipAddress: target.host, port: target.port)
                    try await socket.writeAndFlush(
                        AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: datagram)))
                } catch {
                    // Octavia ignores send errors; the next interval tries the next controller
                    logger.debug("heartbeat not sent", metadata: ["error": "\(error)", "seq": "\(message.seq)"])
                }
            }
            try? await gracefulShutdownSleep(for: interval)
        }
    }

    private func gracefulShutdownSleep(for duration: Duration) async throws {
        try await cancelWhenGracefulShutdown {
            try await Task.sleep(for: duration)
        }
    }
}
