import FulcrumDrivers
import NIOPosix

/// One compute host: its lazily opened connection and what was learnt about its accelerator. Every libvirt call
/// runs on the thread pool; the actor only guards the two pieces of state.
actor LibvirtHost {
    let uri: String
    private let threadPool: NIOThreadPool
    private var connection: LibvirtConnection?
    /// nil until the first `automatic` build here tried KVM.
    private(set) var kvmWorks: Bool?

    init(uri: String, threadPool: NIOThreadPool) {
        self.uri = uri
        self.threadPool = threadPool
    }

    /// Runs `body` with the open connection on the thread pool (blocking work never leaves the pool). A connection
    /// failure drops the connection so that the next call reconnects.
    func run<T: Sendable>(_ body: @escaping @Sendable (LibvirtConnection) throws -> T) async throws -> T {
        let connection = try await openConnection()
        do {
            return try await threadPool.runIfActive { try body(connection) }
        } catch let error as ComputeError where error.code == .connectionFailed {
            drop(connection)
            throw error
        }
    }

    func recordKVM(works: Bool) { kvmWorks = works }

    /// Closes the connection (blocking close on the pool).
    func close() async {
        guard let connection else { return }
        self.connection = nil
        _ = try? await threadPool.runIfActive { connection.close() }
    }

    private func openConnection() async throws -> LibvirtConnection {
        if let connection {
            let alive = try await threadPool.runIfActive { connection.isAlive }
            if alive { return connection }
            drop(connection)
        }
        let uri = self.uri
        let opened = try await threadPool.runIfActive { try LibvirtConnection(uri: uri) }
        if let existing = connection {
            // Another call opened one while this one waited (actor reentrancy): keep that one.
            try? await threadPool.runIfActive { opened.close() }
            return existing
        }
        connection = opened
        return opened
    }

    private func drop(_ stale: LibvirtConnection) {
        guard connection === stale else { return }
        connection = nil
        threadPool.submit { state in if case .active = state { stale.close() } }
    }
}
