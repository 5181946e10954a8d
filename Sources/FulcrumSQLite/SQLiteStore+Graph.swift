public import FulcrumQueue
public import FulcrumStore

extension SQLiteStore: GraphStore {
    public func createGraph(_ graph: LoadBalancerGraph, task: TaskRequest) async throws -> WriteReceipt {
        try await record(task: task) { try $0.createGraph(graph) }
    }
}
