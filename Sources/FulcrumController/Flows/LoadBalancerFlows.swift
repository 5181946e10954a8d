import FulcrumModel
import FulcrumQueue
import FulcrumStore

/// The flows of every API write, keyed by task kind (the API's `TaskKind` raw values).
public enum Flows {
    /// Task kinds that re-render the whole configuration on the load balancer's amphorae.
    static let configurationKinds = [
        "loadbalancer.update", "listener.create", "listener.update", "listener.delete", "pool.create", "pool.update",
        "pool.delete", "member.create", "member.update", "member.delete", "member.batch_update",
        "healthmonitor.create", "healthmonitor.update", "healthmonitor.delete", "l7policy.create", "l7policy.update",
        "l7policy.delete", "l7rule.create", "l7rule.update", "l7rule.delete", "amphora.config",
    ]

    /// Every task kind (and flow name) the builders handle: the bounded `flow` and `kind` label values.
    public static var kinds: [String] {
        ["loadbalancer.create", "loadbalancer.delete", "loadbalancer.failover", "amphora.failover", spareKind]
            + configurationKinds
    }

    /// Builders for the worker's `FlowDispatcher`.
    public static func builders(_ environment: WorkerEnvironment) -> [String: FlowBuilder] {
        var builders: [String: FlowBuilder] = [
            "loadbalancer.create": { task in try createLoadBalancer(environment, task) },
            "loadbalancer.delete": { task in try deleteLoadBalancer(environment, task) },
            "loadbalancer.failover": { task in try failoverLoadBalancer(environment, task) },
            "amphora.failover": { task in try failoverAmphora(environment, task) },
            spareKind: { task in try buildSpare(environment, task) },
        ]
        // Every other change re-renders the whole configuration on the load balancer's amphorae;
        // the final writes (ACTIVE, removals) come from the task's lock set.
        for kind in configurationKinds {
            builders[kind] = { task in try applyConfiguration(environment, task, name: kind) }
        }
        return builders
    }

    static func loadBalancerID(_ task: ClaimedTask) throws -> String {
        guard let id = task.task.loadBalancerID else {
            throw FlowError(.badPayload, "task \(task.task.id) names no load balancer")
        }
        return id
    }

    /// SINGLE: build one STANDALONE amphora; ACTIVE_STANDBY: boot a MASTER and a BACKUP (both VMs boot at
    /// once), wait for both agents; then push the configuration.
    static func createLoadBalancer(_ environment: WorkerEnvironment, _ task: ClaimedTask) throws -> Flow {
        let id = try loadBalancerID(task)
        return Flow(
            name: "loadbalancer.create",
            steps: [
                SetLoadBalancerStep(id: id),
                SubflowStep("amphorae.build") { _ in
                    let lb = try await environment.loadBalancer(id)
                    return buildSteps(environment, topology: lb.topology)
                },
                ApplyConfigStep(environment: environment),
            ])
    }

    /// The steps that build a load balancer's amphorae for `topology`: SINGLE takes a spare when there is one.
    static func buildSteps(_ environment: WorkerEnvironment, topology: Topology) -> [any FlowStep] {
        if topology == .single {
            return [AcquireAmphoraStep(environment: environment, slot: .standalone)]
        }
        let slots: [(AmphoraSlot, FulcrumModel.AmphoraRole)] =
            topology == .activeStandby ? [(.master, .master), (.backup, .backup)] : [(.standalone, .standalone)]
        var steps: [any FlowStep] = []
        for (slot, role) in slots {
            steps += [
                CreateAmphoraStep(environment: environment, role: role, slot: slot),
                IssueCertificateStep(environment: environment, slot: slot),
                BootAmphoraStep(environment: environment, slot: slot),
            ]
        }
        return steps + slots.map { WaitForAgentStep(environment: environment, slot: $0.0) }
    }

    static func deleteLoadBalancer(_ environment: WorkerEnvironment, _ task: ClaimedTask) throws -> Flow {
        Flow(
            name: "loadbalancer.delete",
            steps: [SetLoadBalancerStep(id: try loadBalancerID(task)), DeleteAmphoraeStep(environment: environment)])
    }

    static func applyConfiguration(_ environment: WorkerEnvironment, _ task: ClaimedTask, name: String) throws -> Flow {
        Flow(
            name: name,
            steps: [
                SetLoadBalancerStep(id: try loadBalancerID(task)), ApplyConfigStep(environment: environment),
                ActivationStatusStep(environment: environment, lockSet: task.task.lockSet),
            ])
    }
}

/// Puts the load balancer id in the flow state.
struct SetLoadBalancerStep: FlowStep {
    let name = "loadbalancer.id"
    let id: String

    func execute(_ state: inout FlowState) async throws {
        state[AmphoraKeys.loadBalancerID] = id
    }
}

/// Octavia gives health monitors and L7 objects their operating status once, at activation: ONLINE when
/// enabled, else OFFLINE (heartbeats never report them).
struct ActivationStatusStep: FlowStep {
    let name = "operating.activation"
    let environment: WorkerEnvironment
    let lockSet: LockSet?

    func execute(_ state: inout FlowState) async throws {
        var changes = state[FlowDispatcher.extraChanges] ?? []
        for item in lockSet?.objects ?? [] where item.operation != .delete {
            guard [.healthMonitor, .l7Policy, .l7Rule].contains(item.ref.kind),
                let resource = try await environment.store.resource(item.ref, projectID: nil)
            else { continue }
            let enabled: Bool =
                switch resource {
                case .healthMonitor(let value): value.adminStateUp
                case .l7Policy(let value): value.adminStateUp
                case .l7Rule(let value): value.adminStateUp
                default: true
                }
            changes.append(.operating(item.ref, enabled ? .online : .offline))
        }
        state[FlowDispatcher.extraChanges] = changes
    }
}
