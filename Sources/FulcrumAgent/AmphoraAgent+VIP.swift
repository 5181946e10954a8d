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
            var plugged: VIPAssignment?
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
                guard let settings else {
                    plugged = await plugStandaloneVIP(config, plugged: plugged)
                    continue
                }
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

    /// A STANDALONE amphora holds its VIP itself: added (idempotent: a VIP `/init` configured is kept) and
    /// announced with gratuitous ARPs when it first appears or changes — a spare taken by a load balancer learns
    /// its VIP this way. Returns what is now held.
    func plugStandaloneVIP(_ config: AmphoraConfig, plugged: VIPAssignment?) async -> VIPAssignment? {
        guard config.role == .standalone, !config.vip.isEmpty, let interface = config.vipInterface else {
            return plugged
        }
        let wanted = VIPAssignment(address: config.vip, prefixLength: interface.prefixLength, interface: interface.name)
        guard wanted != plugged else { return plugged }
        do {
            if let plugged { try await vipActuator.removeVIP(plugged) }
            try await vipActuator.addVIP(wanted)
            for index in 0..<3 {
                if index > 0 { try await Task.sleep(for: .milliseconds(200)) }
                try await vipActuator.sendGratuitousARP(wanted)
            }
            logger.info(
                "vip plugged",
                metadata: ["vip": "\(wanted.address)/\(wanted.prefixLength)", "if": "\(wanted.interface)"])
            return wanted
        } catch {
            logger.warning("vip not plugged", metadata: ["vip": "\(wanted.address)", "error": "\(error)"])
            return plugged
        }
    }
}
