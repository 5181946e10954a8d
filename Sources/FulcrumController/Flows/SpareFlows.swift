import FulcrumDrivers
import FulcrumModel
import FulcrumQueue
import FulcrumStore

extension Flows {
    /// Task kind of a spare-amphora build (enqueued by housekeeping).
    public static let spareKind = SpareBuild.kind

    /// Boots a spare: an amphora with no load balancer, its VIP NIC on the payload's subnet, an empty
    /// configuration; READY once its agent answers. Creating a SINGLE load balancer (or replacing a STANDALONE
    /// amphora) then takes it, pushes the configuration and the agent adds the VIP: no boot on that path.
    static func buildSpare(_ environment: WorkerEnvironment, _ task: ClaimedTask) throws -> Flow {
        guard let payload = SpareBuild(payload: task.task.payload) else {
            throw FlowError(.badPayload, "task \(task.task.id): no vip_subnet_id")
        }
        return Flow(
            name: spareKind,
            steps: [
                CreateSpareStep(environment: environment, vipSubnetID: payload.vipSubnetID),
                IssueCertificateStep(environment: environment, slot: .spare),
                BootAmphoraStep(environment: environment, slot: .spare),
                WaitForAgentStep(environment: environment, slot: .spare),
                MarkSpareReadyStep(environment: environment),
            ])
    }
}

extension AmphoraSlot {
    static let spare = AmphoraSlot("spare")
}

/// Creates a spare's row (no load balancer, no role) with a management address (reverted: released, DELETED).
struct CreateSpareStep: FlowStep {
    let name = "amphora.create.spare"
    let environment: WorkerEnvironment
    let vipSubnetID: String

    func execute(_ state: inout FlowState) async throws {
        let id = environment.ids.next()
        state[AmphoraSlot.spare.amphora] = Amphora(id: id)
        let address = try await environment.store.allocateAddress(
            subnetID: environment.settings.managementSubnet, ownerID: id, purpose: "management", requested: nil)
        let amphora = Amphora(
            id: id, lbNetworkIP: address.description, status: .pendingCreate, vipSubnetID: vipSubnetID,
            createdAt: environment.clock.now())
        try await environment.store.insertAmphora(amphora)
        state[AmphoraSlot.spare.amphora] = amphora
    }

    func revert(_ state: FlowState) async {
        await environment.discard(state[AmphoraSlot.spare.amphora])
    }
}

/// Marks a booted spare READY.
struct MarkSpareReadyStep: FlowStep {
    let name = "amphora.ready.spare"
    let environment: WorkerEnvironment

    func execute(_ state: inout FlowState) async throws {
        var amphora = try state.require(AmphoraSlot.spare.amphora)
        amphora.status = .ready
        try await environment.store.updateAmphora(amphora)
    }
}

/// Gets a STANDALONE amphora for the load balancer: a READY spare on its VIP subnet when there is one (the
/// configuration step then makes it serve), else a cold build (create, certificate, boot, wait). Reverted: the
/// spare or the cold-built amphora is deleted.
struct AcquireAmphoraStep: FlowStep {
    static func usedSpare(_ slot: AmphoraSlot) -> FlowKey<Bool> { FlowKey("amphora.\(slot.name).spare") }

    var name: String { "amphora.acquire.\(slot.name)" }
    let environment: WorkerEnvironment
    let slot: AmphoraSlot

    var cold: SubflowStep {
        SubflowStep("amphora.build.\(slot.name)") { [environment, slot] _ in
            [
                CreateAmphoraStep(environment: environment, role: .standalone, slot: slot),
                IssueCertificateStep(environment: environment, slot: slot),
                BootAmphoraStep(environment: environment, slot: slot),
                WaitForAgentStep(environment: environment, slot: slot),
            ]
        }
    }

    func execute(_ state: inout FlowState) async throws {
        let lb = try await environment.loadBalancer(try state.require(AmphoraKeys.loadBalancerID))
        if var spare = try await environment.store.claimSpare(
            vipSubnetID: lb.vipSubnetID, loadBalancerID: lb.id, role: .standalone)
        {
            // Recorded before the update, so a revert deletes the claimed spare even if the update fails.
            state[Self.usedSpare(slot)] = true
            state[slot.amphora] = spare
            spare.haIP = lb.vipAddress
            try await environment.store.updateAmphora(spare)
            state[slot.amphora] = spare
            return
        }
        try await cold.execute(&state)
    }

    func revert(_ state: FlowState) async {
        if state[Self.usedSpare(slot)] == true {
            await environment.discard(state[slot.amphora])
        } else {
            await cold.revert(state)
        }
    }
}

extension WorkerEnvironment {
    /// Deletes an amphora's VM, releases its addresses and marks its row DELETED; never throws (revert paths).
    func discard(_ amphora: Amphora?) async {
        guard let amphora else { return }
        try? await compute.delete(amphora.id)
        _ = try? await store.releaseAddresses(ownerID: amphora.id)
        if var stored = try? await store.amphora(id: amphora.id) {
            stored.status = .deleted
            try? await store.updateAmphora(stored)
        }
    }
}
