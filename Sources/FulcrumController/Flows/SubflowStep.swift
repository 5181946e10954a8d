import Logging

/// A step whose inner steps are chosen when it runs, from the flow state and the store (a load balancer's
/// topology, the amphorae a failover replaces). A failing inner step reverts the inner steps done so far,
/// newest first, and the error propagates to the outer flow.
struct SubflowStep: FlowStep {
    let name: String
    /// Whether a later failure of the outer flow reverts the inner steps too (a create: yes; a failover
    /// replacement that succeeded stays, since it already replaced what it retired).
    let revertsOnLaterFailure: Bool
    let steps: @Sendable (FlowState) async throws -> [any FlowStep]

    init(
        _ name: String, revertsOnLaterFailure: Bool = true,
        steps: @escaping @Sendable (FlowState) async throws -> [any FlowStep]
    ) {
        self.name = name
        self.revertsOnLaterFailure = revertsOnLaterFailure
        self.steps = steps
    }

    static let runner = FlowRunner(logger: Logger(label: "fulcrum.flow"))

    func execute(_ state: inout FlowState) async throws {
        switch await Self.runner.run(Flow(name: name, steps: try await steps(state)), state: state) {
        case .succeeded(let final): state = final
        case .failed(_, let error, _): throw error
        }
    }

    func revert(_ state: FlowState) async {
        guard revertsOnLaterFailure, let inner = try? await steps(state) else { return }
        for step in inner.reversed() { await step.revert(state) }
    }
}
