import Foundation
import FulcrumDrivers
public import FulcrumModel
import FulcrumStore
import FulcrumWire

/// Values the amphora-building steps hand to each other.
public enum AmphoraKeys {
    public static let loadBalancerID = FlowKey<String>("loadbalancer.id")
    /// The amphora a failover replaces (its role and VRRP address pass to the replacement).
    public static let retired = FlowKey<Amphora>("amphora.retired")
}

/// Where one amphora being built keeps its values in the flow state: a flow that builds a pair uses two
/// slots, so the MASTER's and the BACKUP's steps do not overwrite each other.
public struct AmphoraSlot: Sendable, Hashable {
    /// The slot's name (`standalone`, `master`, `backup`, `replacement`).
    public let name: String

    /// Creates a slot.
    public init(_ name: String) { self.name = name }

    var amphora: FlowKey<Amphora> { FlowKey("amphora.\(name)") }
    var certificate: FlowKey<IssuedCertificate> { FlowKey("amphora.\(name).certificate") }
    /// When the boot step started (for the boot-time metric).
    var bootStarted: FlowKey<ContinuousClock.Instant> { FlowKey("amphora.\(name).boot_started") }

    public static let standalone = AmphoraSlot("standalone")
    public static let master = AmphoraSlot("master")
    public static let backup = AmphoraSlot("backup")
    public static let replacement = AmphoraSlot("replacement")
}

/// Creates the amphora row and gives it a management address and, in an ACTIVE_STANDBY pair, a VRRP address
/// on the VIP subnet — the retired amphora's when it replaces one, so the peer's settings stay valid
/// (reverted: addresses released, row DELETED).
struct CreateAmphoraStep: FlowStep {
    var name: String { "amphora.create.\(slot.name)" }
    let environment: WorkerEnvironment
    /// The role, or nil for the retired amphora's role.
    let role: FulcrumModel.AmphoraRole?
    let slot: AmphoraSlot

    init(environment: WorkerEnvironment, role: FulcrumModel.AmphoraRole?, slot: AmphoraSlot) {
        self.environment = environment
        self.role = role
        self.slot = slot
    }

    func execute(_ state: inout FlowState) async throws {
        let lbID = try state.require(AmphoraKeys.loadBalancerID)
        let retired = state[AmphoraKeys.retired]
        let role = self.role ?? retired?.role ?? .standalone
        let id = environment.ids.next()
        // Recorded before anything is allocated, so revert can find what a half-done execute left.
        state[slot.amphora] = Amphora(id: id, loadBalancerID: lbID)
        let address = try await environment.store.allocateAddress(
            subnetID: environment.settings.managementSubnet, ownerID: id, purpose: "management", requested: nil)
        var amphora = Amphora(
            id: id, loadBalancerID: lbID, lbNetworkIP: address.description, role: role, status: .pendingCreate,
            vrrpPriority: role == .backup ? 90 : 100, createdAt: environment.clock.now())
        let lb = try await environment.loadBalancer(lbID)
        amphora.haIP = lb.vipAddress
        if role != .standalone {
            let requested = retired?.vrrpIP.flatMap(IPv4Address.init)
            let vrrp = try await environment.store.allocateAddress(
                subnetID: lb.vipSubnetID, ownerID: id, purpose: "vrrp", requested: requested)
            amphora.vrrpIP = vrrp.description
            amphora.vrrpInterface = "eth1"
            amphora.vrrpID = 1
        }
        try await environment.store.insertAmphora(amphora)
        state[slot.amphora] = amphora
    }

    func revert(_ state: FlowState) async {
        guard let amphora = state[slot.amphora] else { return }
        _ = try? await environment.store.releaseAddresses(ownerID: amphora.id)
        if var stored = try? await environment.store.amphora(id: amphora.id), stored.status != .deleted {
            stored.status = .deleted
            try? await environment.store.updateAmphora(stored)
        }
    }
}

/// Issues the amphora's server certificate (CN = amphora id, IP SAN = management address).
struct IssueCertificateStep: FlowStep {
    var name: String { "amphora.certificate.\(slot.name)" }
    let environment: WorkerEnvironment
    let slot: AmphoraSlot

    func execute(_ state: inout FlowState) async throws {
        let amphora = try state.require(slot.amphora)
        state[slot.certificate] = try environment.certificates.issueServerCertificate(
            commonName: amphora.id, ipAddresses: [amphora.lbNetworkIP].compactMap { $0 },
            validity: environment.settings.certificateValidity)
    }
}

/// Boots the VM: management NIC first, then the VIP subnet's bridge; secrets only in the archive.
struct BootAmphoraStep: FlowStep {
    var name: String { "amphora.boot.\(slot.name)" }
    let environment: WorkerEnvironment
    let slot: AmphoraSlot

    func execute(_ state: inout FlowState) async throws {
        state[slot.bootStarted] = ContinuousClock.now
        do {
            try await boot(&state)
        } catch {
            if !(error is CancellationError) { environment.metrics.amphoraBootFailed() }
            throw error
        }
    }

    private func boot(_ state: inout FlowState) async throws {
        var amphora = try state.require(slot.amphora)
        let certificate = try state.require(slot.certificate)
        // A spare (no load balancer yet) boots with an empty configuration and no VIP.
        let tree = try await amphora.loadBalancerID.asyncMap { try await environment.tree(loadBalancerID: $0) }
        let subnets = try await environment.store.subnets()
        let settings = environment.settings
        let vipSubnetID = tree?.loadBalancer.vipSubnetID ?? amphora.vipSubnetID
        guard
            let management = subnets.first(where: {
                $0.id == settings.managementSubnet || $0.name == settings.managementSubnet
            }),
            let vipSubnet = subnets.first(where: { $0.id == vipSubnetID }),
            let address = amphora.lbNetworkIP
        else { throw FlowError(.missingValue, "management or VIP subnet or management address unknown") }
        amphora.vipSubnetID = vipSubnet.id
        let peers =
            try await amphora.loadBalancerID.asyncMap {
                try await environment.store.amphorae(loadBalancerID: $0, includeDeleted: false)
            } ?? []
        let tls = try await tree.asyncMap { try await environment.tlsContainers(for: $0) } ?? [:]
        let initial =
            tree.map {
                AmphoraConfigRenderer.render(
                    $0, amphora: amphora, generation: 1, peers: peers, settings: environment.renderSettings, tls: tls)
            } ?? AmphoraConfig(generation: 0, amphoraId: amphora.id, vip: "")
        let agent = AgentSettings(
            controllers: settings.controllers, heartbeatIntervalMs: settings.heartbeatIntervalMs,
            heartbeatKey: settings.heartbeatKey,
            api: .init(
                host: "0.0.0.0", port: settings.agentPort, certificateChainFile: "/secrets/server.pem",
                privateKeyFile: "/secrets/server.key", clientCaFile: "/secrets/client-ca.pem"))
        var parameters = ["id": amphora.id, "mgmt": "\(address)/\(management.cidr.prefixLength)"]
        // A STANDALONE amphora carries the VIP from boot; a member of a pair carries its own VRRP address and its
        // agent adds the VIP while it is MASTER; a spare's agent adds the VIP when it is assigned.
        if amphora.role != nil && amphora.role != .standalone, let vrrp = amphora.vrrpIP {
            parameters["vip"] = "\(vrrp)/\(vipSubnet.cidr.prefixLength)"
        } else if let vip = tree?.loadBalancer.vipAddress {
            parameters["vip"] = "\(vip)/\(vipSubnet.cidr.prefixLength)"
        }
        if let gateway = management.gateway { parameters["mgmt_gw"] = gateway.description }
        let spec = AmphoraSpec(
            amphoraID: amphora.id, image: settings.image,
            nics: [NICSpec(bridge: settings.managementBridge), NICSpec(bridge: vipSubnet.bridge)],
            bootParameters: parameters,
            secrets: [
                "agent.json": try WireJSON.encode(AgentConfigFile(agent: agent, amphora: initial)),
                "server.pem": Array(certificate.certificatePEM.utf8),
                "server.key": Array(certificate.privateKeyPEM.utf8),
                "client-ca.pem": Array(environment.certificates.caCertificatePEM.utf8),
            ],
            antiAffinityGroup: amphora.role == .standalone ? nil : amphora.loadBalancerID)
        let instance = try await environment.compute.build(spec)
        amphora.computeID = instance.name
        amphora.cachedZone = instance.host
        if let peer = peers.first(where: { $0.id != amphora.id && $0.cachedZone == instance.host }),
            amphora.role != .standalone, amphora.role != nil
        {
            // Anti-affinity could not be honoured (one compute host): said in the record.
            amphora.cachedZone = "\(instance.host) (same host as \(peer.id): one compute host)"
        }
        amphora.status = .booting
        amphora.certExpiration = certificate.notAfter
        amphora.imageID = settings.image.kernelPath
        try await environment.store.updateAmphora(amphora)
        state[slot.amphora] = amphora
    }

    func revert(_ state: FlowState) async {
        guard let amphora = state[slot.amphora] else { return }
        try? await environment.compute.delete(amphora.id)
    }
}

/// Waits, bounded, until the new amphora's agent answers over mutual TLS.
struct WaitForAgentStep: FlowStep {
    var name: String { "amphora.wait.\(slot.name)" }
    let environment: WorkerEnvironment
    let slot: AmphoraSlot

    func execute(_ state: inout FlowState) async throws {
        do {
            try await wait(state)
        } catch {
            if !(error is CancellationError) { environment.metrics.amphoraBootFailed() }
            throw error
        }
        if let started = state[slot.bootStarted] { environment.metrics.amphoraBooted(after: .now - started) }
    }

    private func wait(_ state: FlowState) async throws {
        let amphora = try state.require(slot.amphora)
        let endpoint = try environment.endpoint(amphora)
        var lastError: (any Error)?
        for attempt in 1...max(1, environment.settings.agentWaitAttempts) {
            do {
                let info = try await environment.agents.info(endpoint)
                guard info.amphoraId == amphora.id else {
                    throw AmphoraDriverError(.agentFailure, endpoint, "agent says it is \(info.amphoraId)")
                }
                return
            } catch let error as AmphoraDriverError where error.code == .unreachable {
                lastError = error
                if attempt < environment.settings.agentWaitAttempts {
                    try await Task.sleep(for: environment.settings.agentWaitInterval)
                }
            }
        }
        throw lastError ?? FlowError(.missingValue, "agent never answered")
    }
}

/// Pushes the full configuration of the load balancer to every live amphora, then marks new ones ALLOCATED.
struct ApplyConfigStep: FlowStep {
    let name = "amphora.configure"
    let environment: WorkerEnvironment

    func execute(_ state: inout FlowState) async throws {
        let lbID = try state.require(AmphoraKeys.loadBalancerID)
        let tree = try await environment.tree(loadBalancerID: lbID)
        let generation = UInt64(environment.clock.now().timeIntervalSince1970 * 1_000)
        let live = try await environment.store.amphorae(loadBalancerID: lbID, includeDeleted: false)
            .filter { [.allocated, .booting].contains($0.status) }
        let tls = try await environment.tlsContainers(for: tree)
        for var amphora in live {
            let config = AmphoraConfigRenderer.render(
                tree, amphora: amphora, generation: generation, peers: live, settings: environment.renderSettings,
                tls: tls)
            let result = try await environment.agents.apply(config, to: try environment.endpoint(amphora))
            guard result.applied || result.generation >= generation else {
                throw AmphoraDriverError(.rejected, try environment.endpoint(amphora), result.message)
            }
            if amphora.status != .allocated {
                amphora.status = .allocated
                try await environment.store.updateAmphora(amphora)
            }
        }
    }
}

/// Deletes every amphora of the load balancer: VM, addresses, row → DELETED.
struct DeleteAmphoraeStep: FlowStep {
    let name = "amphora.delete"
    let environment: WorkerEnvironment

    func execute(_ state: inout FlowState) async throws {
        let lbID = try state.require(AmphoraKeys.loadBalancerID)
        for var amphora in try await environment.store.amphorae(loadBalancerID: lbID, includeDeleted: false) {
            try await environment.compute.delete(amphora.id)
            try await environment.store.releaseAddresses(ownerID: amphora.id)
            amphora.status = .deleted
            try await environment.store.updateAmphora(amphora)
        }
    }
}

extension WorkerEnvironment {
    /// The load balancer `id` (any status).
    func loadBalancer(_ id: String) async throws -> LoadBalancer {
        guard case .loadBalancer(let lb)? = try await store.resource(ResourceRef(.loadBalancer, id), projectID: nil)
        else { throw StoreError.notFound(ResourceRef(.loadBalancer, id)) }
        return lb
    }

    /// The agent endpoint of an amphora.
    func endpoint(_ amphora: Amphora) throws -> AgentEndpoint {
        guard let host = amphora.lbNetworkIP else {
            throw FlowError(.missingValue, "amphora \(amphora.id) has no address")
        }
        return AgentEndpoint(amphoraID: amphora.id, host: host, port: settings.agentPort)
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
