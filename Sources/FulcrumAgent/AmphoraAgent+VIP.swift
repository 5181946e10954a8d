import FulcrumEngine
import FulcrumWire
import Logging
import Synchronization

extension AmphoraAgent {
    /// Runs the ``VIPOwner`` the applied configs ask for, until the stream of applied configs ends.
    ///
    /// A config of the same binding (VIP, interface, address, port, key) updates the running owner, which keeps
    /// the VIP if it is MASTER; a different binding, or none (STANDALONE), stops it first (it releases the VIP
    /// and resigns). Configs arrive in apply order; an older generation that overtook a newer one is skipped.
    func superviseVIP() async {
        await withDiscardingTaskGroup { owners in
            var generation: UInt64?
            for await config in applied.stream {
                if let generation, config.generation <= generation { continue }
                generation = config.generation
                let settings: VIPOwner.Settings?
                do {
                    settings = try VIPOwner.Settings(config)
                } catch {
                    // validated before it was applied; kept for safety
                    logger.info("vrrp settings refused", metadata: ["error": "\(error)"])
                    continue
                }
                let current = vipOwner.withLock { $0 }
                if let current, let settings, current.settings.hasSameBinding(as: settings) {
                    current.update(settings)
                    continue
                }
                if let current {
                    await current.stop()
                    vipOwner.withLock { $0 = nil }
                }
                guard let settings else { continue }
                let owner = VIPOwner(
                    settings: settings, actuator: vipActuator, isEngineServing: { [engine] in await engine.isServing },
                    group: group, logger: logger)
                vipOwner.withLock { $0 = owner }
                logger.info(
                    "vip owner starting",
                    metadata: [
                        "amphora.id": "\(config.amphoraId)", "vrrp.address": "\(settings.vrrp.address)",
                        "vrrp.priority": "\(config.priority)", "vip": "\(config.vip)",
                    ])
                owners.addTask {
                    do {
                        try await owner.run()
                    } catch {
                        self.logger.info(
                            "vip owner failed", metadata: ["amphora.id": "\(config.amphoraId)", "error": "\(error)"])
                    }
                }
            }
            if let current = vipOwner.withLock({ $0 }) { await current.stop() }
        }
    }
}
