import FulcrumModel
import Testing

@Suite("Provisioning status transitions (reference §3)")
struct ProvisioningStateMachineTests {
    static let allowed: Set<[ProvisioningStatus]> = [
        [.pendingCreate, .active], [.pendingCreate, .error],
        [.active, .pendingUpdate], [.active, .pendingDelete],
        [.error, .pendingUpdate], [.error, .pendingDelete],
        [.pendingUpdate, .active], [.pendingUpdate, .error],
        [.pendingDelete, .deleted], [.pendingDelete, .error],
    ]

    @Test("canTransition(to:) over every pair", arguments: ProvisioningStatus.allCases, ProvisioningStatus.allCases)
    func transition(_ from: ProvisioningStatus, _ to: ProvisioningStatus) {
        #expect(from.canTransition(to: to) == Self.allowed.contains([from, to]))
    }

    @Test(
        "mutable, deletable, failover-able",
        arguments: [
            (ProvisioningStatus.active, true, true, true),
            (.error, false, true, true),
            (.pendingCreate, false, false, false),
            (.pendingUpdate, false, false, false),
            (.pendingDelete, false, false, false),
            (.deleted, false, false, false),
        ])
    func predicates(_ status: ProvisioningStatus, _ mutable: Bool, _ deletable: Bool, _ failoverable: Bool) {
        #expect(status.isMutable == mutable)
        #expect(status.isDeletable == deletable)
        #expect(status.isFailoverable == failoverable)
    }

    @Test("create, update, delete happy path")
    func happyPath() {
        var machine = ProvisioningStateMachine()
        #expect(machine.status == .pendingCreate)
        #expect(machine.succeed() == .settle(.active))
        #expect(machine.begin(.update) == .startFlow(.pendingUpdate))
        #expect(machine.begin(.delete) == .reject(current: .pendingUpdate))
        #expect(machine.succeed() == .settle(.active))
        #expect(machine.begin(.delete) == .startFlow(.pendingDelete))
        #expect(machine.succeed() == .settle(.deleted))
        #expect(machine.begin(.update) == .reject(current: .deleted))
        #expect(machine.status == .deleted)
    }

    @Test("a failed flow leaves ERROR, from which failover and delete start but update does not")
    func errorPath() {
        var machine = ProvisioningStateMachine(status: .active)
        #expect(machine.begin(.failover) == .startFlow(.pendingUpdate))
        #expect(machine.fail() == .settle(.error))
        #expect(machine.begin(.update) == .reject(current: .error))
        #expect(machine.begin(.failover) == .startFlow(.pendingUpdate))
        #expect(machine.fail() == .settle(.error))
        #expect(machine.begin(.delete) == .startFlow(.pendingDelete))
        #expect(machine.fail() == .settle(.error))
    }

    @Test("settled objects ignore succeed and fail", arguments: [ProvisioningStatus.active, .error, .deleted])
    func settledEvents(_ status: ProvisioningStatus) {
        var machine = ProvisioningStateMachine(status: status)
        #expect(machine.succeed() == .reject(current: status))
        #expect(machine.fail() == .reject(current: status))
        #expect(machine.status == status)
    }

    @Test("every machine step is an allowed transition", arguments: ProvisioningStatus.allCases)
    func stepsAreTransitions(_ status: ProvisioningStatus) {
        for operation in ProvisioningStateMachine.Operation.allCases {
            var machine = ProvisioningStateMachine(status: status)
            if case .startFlow(let next) = machine.begin(operation) {
                #expect(status.canTransition(to: next))
            }
        }
        for fail in [false, true] {
            var machine = ProvisioningStateMachine(status: status)
            if case .settle(let next) = fail ? machine.fail() : machine.succeed() {
                #expect(status.canTransition(to: next))
            }
        }
    }
}
