import FulcrumDrivers
import FulcrumModel
import FulcrumQueue
import FulcrumStore
import FulcrumWire

extension Flows {
    /// Amphora failover (API, or housekeeping's automatic rebuild): retire the failed amphora, build a replacement
    /// with its role and VRRP address, wait for its agent, push the configuration to the load balancer's amphorae.
    ///
    /// Unlike Octavia (reference §6.4, pain point 6), the failed VM is deleted **before** the replacement is
    /// built: no second VIP-subnet address is needed and two VMs never claim the same address; in a pair the
    /// peer holds the VIP meanwhile. Re-running after a crash converges: a retired amphora stays retired, a
    /// half-built replacement is removed, an allocated one is kept.
    static func failoverAmphora(_ environment: WorkerEnvironment, _ task: ClaimedTask) throws -> Flow {
        guard let lockSet = task.task.lockSet, lockSet.object.kind == .amphora else {
            throw FlowError(.badPayload, "task \(task.task.id) names no amphora")
        }
        let lbID = try loadBalancerID(task)
        return Flow(
            name: "amphora.failover",
            steps: [
                SetLoadBalancerStep(id: lbID),
                replaceSteps(environment, amphoraID: lockSet.object.id, slot: .replacement),
            ])
    }

    /// Load-balancer failover: every amphora is replaced in turn, the standby first (reference §6.5), each
    /// replacement configured at once so a pair never has two amphorae down.
    static func failoverLoadBalancer(_ environment: WorkerEnvironment, _ task: ClaimedTask) throws -> Flow {
        let lbID = try loadBalancerID(task)
        return Flow(
            name: "loadbalancer.failover",
            steps: [
                SetLoadBalancerStep(id: lbID),
                PlanFailoverStep(environment: environment),
                SubflowStep("amphorae.replace", revertsOnLaterFailure: false) { state in
                    (state[PlanFailoverStep.victims] ?? []).enumerated().map { index, victim in
                        replaceSteps(environment, amphoraID: victim.id, slot: AmphoraSlot("replacement\(index + 1)"))
                    }
                },
            ])
    }

    /// Retire `amphoraID`, build its replacement in `slot`, configure the load balancer.
    static func replaceSteps(_ environment: WorkerEnvironment, amphoraID: String, slot: AmphoraSlot) -> SubflowStep {
        SubflowStep("amphora.replace.\(slot.name)", revertsOnLaterFailure: false) { state in
            let lbID = try state.require(AmphoraKeys.loadBalancerID)
            let build: [any FlowStep] = [
                CreateAmphoraStep(environment: environment, role: nil, slot: slot),
                IssueCertificateStep(environment: environment, slot: slot),
                BootAmphoraStep(environment: environment, slot: slot),
                WaitForAgentStep(environment: environment, slot: slot),
            ]
            // A STANDALONE replacement takes a spare when there is one.
            let standalone: [any FlowStep] = [AcquireAmphoraStep(environment: environment, slot: slot)]
            return [
                RetireAmphoraStep(environment: environment, amphoraID: amphoraID),
                SubflowStep("amphora.build.\(slot.name)") { state in
                    let retired = try state.require(AmphoraKeys.retired)
                    guard try await environment.replacementNeeded(for: retired, lbID: lbID) else { return [] }
                    return retired.role == .standalone || retired.role == nil ? standalone : build
                },
                ApplyConfigStep(environment: environment),
            ]
        }
    }
}

/// Deletes the failed amphora's VM and releases its addresses (so the replacement can take its VRRP address);
/// its row ends DELETED and is kept as `retired` for the replacement. Nothing to undo: the VM had failed.
struct RetireAmphoraStep: FlowStep {
    var name: String { "amphora.retire" }
    let environment: WorkerEnvironment
    let amphoraID: String

    func execute(_ state: inout FlowState) async throws {
        guard var amphora = try await environment.store.amphora(id: amphoraID) else {
            throw StoreError.notFound(ResourceRef(.amphora, amphoraID))
        }
        state[AmphoraKeys.retired] = amphora
        guard amphora.status != .deleted else { return }
        try await environment.compute.delete(amphora.id)
        try await environment.store.releaseAddresses(ownerID: amphora.id)
        amphora.status = .deleted
        try await environment.store.updateAmphora(amphora)
    }
}

/// Orders the load balancer's live amphorae for a failover so the VIP moves at most once: the amphora whose
/// agent says it holds the VIP (`vrrp_state` MASTER) goes last; one that does not answer goes first (reference
/// §6.5); without an answer the recorded roles decide (BACKUP first).
struct PlanFailoverStep: FlowStep {
    static let victims = FlowKey<[Amphora]>("failover.victims")
    let name = "failover.plan"
    let environment: WorkerEnvironment

    func execute(_ state: inout FlowState) async throws {
        let lbID = try state.require(AmphoraKeys.loadBalancerID)
        let live = try await environment.store.amphorae(loadBalancerID: lbID, includeDeleted: false)
        var ranked: [(rank: Int, amphora: Amphora)] = []
        for amphora in live {
            ranked.append((await rank(amphora), amphora))
        }
        state[Self.victims] = ranked.sorted { $0.rank < $1.rank }.map(\.amphora)
    }

    private func rank(_ amphora: Amphora) async -> Int {
        let recorded =
            switch amphora.role {
            case .master: 2
            case .backup: 1
            case .standalone, nil: 1
            }
        guard amphora.role == .master || amphora.role == .backup else { return recorded }
        guard let endpoint = try? environment.endpoint(amphora), let info = try? await environment.agents.info(endpoint)
        else { return 0 }  // not answering: presumably not holding the VIP
        switch info.vrrpState?.uppercased() {
        case "MASTER": return 3
        case "BACKUP", "FAULT": return 1
        default: return recorded
        }
    }
}

extension WorkerEnvironment {
    /// Whether the load balancer still lacks a replacement for `retired`: removes half-built amphorae of the same
    /// role (a crashed earlier run) and answers false when an allocated one already exists.
    func replacementNeeded(for retired: Amphora, lbID: String) async throws -> Bool {
        let sameRole = try await store.amphorae(loadBalancerID: lbID, includeDeleted: false)
            .filter { $0.id != retired.id && $0.role == retired.role }
        if sameRole.contains(where: { $0.status == .allocated }) { return false }
        for var stale in sameRole {
            try await compute.delete(stale.id)
            try await store.releaseAddresses(ownerID: stale.id)
            stale.status = .deleted
            try await store.updateAmphora(stale)
        }
        return true
    }
}
