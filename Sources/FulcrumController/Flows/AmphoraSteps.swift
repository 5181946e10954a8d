import Foundation
public import FulcrumDrivers
public import FulcrumModel
import FulcrumStore
import FulcrumWire

/// Values the amphora-building steps hand to each other.
public enum AmphoraKeys {
    public static let amphora = FlowKey<Amphora>("amphora")
    public static let certificate = FlowKey<IssuedCertificate>("amphora.certificate")
    public static let loadBalancerID = FlowKey<String>("loadbalancer.id")
}

/// Creates the amphora row and gives it a management address (reverted: address released, row DELETED).
struct CreateAmphoraStep: FlowStep {
    let name = "amphora.create"
    let environment: WorkerEnvironment
    let role: FulcrumModel.AmphoraRole

    func execute(_ state: inout FlowState) async throws {
        let lbID = try state.require(AmphoraKeys.loadBalancerID)
        let id = environment.ids.next()
        // Recorded before anything is allocated, so revert can find what a half-done execute left.
        state[AmphoraKeys.amphora] = Amphora(id: id, loadBalancerID: lbID)
        let address = try await environment.store.allocateAddress(
            subnetID: environment.settings.managementSubnet, ownerID: id, purpose: "management", requested: nil)
        let amphora = Amphora(
            id: id, loadBalancerID: lbID, lbNetworkIP: address.description, role: role, status: .pendingCreate,
            vrrpPriority: role == .backup ? 90 : 100, createdAt: environment.clock.now())
        try await environment.store.insertAmphora(amphora)
        state[AmphoraKeys.amphora] = amphora
    }

    func revert(_ state: FlowState) async {
        guard let amphora = state[AmphoraKeys.amphora] else { return }
        _ = try? await environment.store.releaseAddresses(ownerID: amphora.id)
        if var stored = try? await environment.store.amphora(id: amphora.id) {
            stored.status = .deleted
            try? await environment.store.updateAmphora(stored)
        }
    }
}

/// Issues the amphora's server certificate (CN = amphora id, IP SAN = management address).
struct IssueCertificateStep: FlowStep {
    let name = "amphora.certificate"
    let environment: WorkerEnvironment

    func execute(_ state: inout FlowState) async throws {
        let amphora = try state.require(AmphoraKeys.amphora)
        state[AmphoraKeys.certificate] = try environment.certificates.issueServerCertificate(
            commonName: amphora.id, ipAddresses: [amphora.lbNetworkIP].compactMap { $0 },
            validity: environment.settings.certificateValidity)
    }
}

/// Boots the VM: management NIC first, then the VIP subnet's bridge; secrets only in the archive.
struct BootAmphoraStep: FlowStep {
    let name = "amphora.boot"
    let environment: WorkerEnvironment

    func execute(_ state: inout FlowState) async throws {
        var amphora = try state.require(AmphoraKeys.amphora)
        let certificate = try state.require(AmphoraKeys.certificate)
        let tree = try await environment.tree(loadBalancerID: try state.require(AmphoraKeys.loadBalancerID))
        let subnets = try await environment.store.subnets()
        let settings = environment.settings
        guard
            let management = subnets.first(where: {
                $0.id == settings.managementSubnet || $0.name == settings.managementSubnet
            }),
            let vipSubnet = subnets.first(where: { $0.id == tree.loadBalancer.vipSubnetID }),
            let address = amphora.lbNetworkIP, let vip = tree.loadBalancer.vipAddress
        else { throw FlowError(.missingValue, "management or VIP subnet, address or VIP unknown") }
        let initial = AmphoraConfigRenderer.render(tree, amphora: amphora, generation: 1)
        let agent = AgentSettings(
            controllers: settings.controllers, heartbeatIntervalMs: settings.heartbeatIntervalMs,
            heartbeatKey: settings.heartbeatKey,
            api: .init(
                host: "0.0.0.0", port: settings.agentPort, certificateChainFile: "/secrets/server.pem",
                privateKeyFile: "/secrets/server.key", clientCaFile: "/secrets/client-ca.pem"))
        var parameters = [
            "id": amphora.id, "mgmt": "\(address)/\(management.cidr.prefixLength)",
            "vip": "\(vip)/\(vipSubnet.cidr.prefixLength)",
        ]
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
            ])
        let instance = try await environment.compute.build(spec)
        amphora.computeID = instance.name
        amphora.status = .booting
        amphora.certExpiration = certificate.notAfter
        amphora.imageID = settings.image.kernelPath
        try await environment.store.updateAmphora(amphora)
        state[AmphoraKeys.amphora] = amphora
    }

    func revert(_ state: FlowState) async {
        guard let amphora = state[AmphoraKeys.amphora] else { return }
        try? await environment.compute.delete(amphora.id)
    }
}

/// Waits, bounded, until the new amphora's agent answers over mutual TLS.
struct WaitForAgentStep: FlowStep {
    let name = "amphora.wait"
    let environment: WorkerEnvironment

    func execute(_ state: inout FlowState) async throws {
        let amphora = try state.require(AmphoraKeys.amphora)
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
        for var amphora in try await environment.store.amphorae(loadBalancerID: lbID, includeDeleted: false)
        where [.allocated, .booting].contains(amphora.status) {
            let config = AmphoraConfigRenderer.render(tree, amphora: amphora, generation: generation)
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
    /// The agent endpoint of an amphora.
    func endpoint(_ amphora: Amphora) throws -> AgentEndpoint {
        guard let host = amphora.lbNetworkIP else {
            throw FlowError(.missingValue, "amphora \(amphora.id) has no address")
        }
        return AgentEndpoint(amphoraID: amphora.id, host: host, port: settings.agentPort)
    }
}
