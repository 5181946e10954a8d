import FulcrumModel
import FulcrumStore
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// One floating IP's listening socket and its open connections. `serve` accepts until `close` (or
/// cancellation); each accepted connection gets its upstream from the connector and is glued to it.
final class ForwardListener: Sendable {
    let target: FloatingIPTarget
    private let server: NIOAsyncChannel<any Channel, Never>
    private let connections = Mutex(Connections())

    /// Open connections, and whether the listener has been closed (then new ones are closed at once).
    private struct Connections {
        var open: [ObjectIdentifier: any Channel] = [:]
        var closed = false
    }

    private init(target: FloatingIPTarget, server: NIOAsyncChannel<any Channel, Never>) {
        self.target = target
        self.server = server
    }

    /// Listens on the floating address and port.
    ///
    /// - Throws: `ForwarderError` (`.bindFailed`).
    static func bind(_ target: FloatingIPTarget, group: any EventLoopGroup) async throws -> ForwardListener {
        let floating = target.floatingIP
        do {
            let server = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.autoRead, value: false)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .bind(host: floating.floatingAddress.description, port: floating.floatingPort) { child in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.addHandler(GlueHandler())
                        return child
                    }
                }
            return ForwardListener(target: target, server: server)
        } catch {
            throw ForwarderError(.bindFailed, "cannot listen on \(floating.floatingEndpoint): \(error)")
        }
    }

    /// Accepts and forwards until the listener is closed.
    func serve(connector: any UpstreamConnector, logger: Logger) async {
        do {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await client in inbound {
                        group.addTask { await self.forward(client, connector: connector, logger: logger) }
                    }
                }
            }
        } catch {
            logger.debug("floating ip listener stopped", metadata: metadata(["error": "\(error)"]))
        }
        close()
    }

    /// Stops listening and closes every connection.
    func close() {
        server.channel.close(promise: nil)
        let open = connections.withLock { state in
            state.closed = true
            defer { state.open = [:] }
            return Array(state.open.values)
        }
        for channel in open { channel.close(promise: nil) }
    }

    private func forward(_ client: any Channel, connector: any UpstreamConnector, logger: Logger) async {
        let key = ObjectIdentifier(client)
        let accepted = connections.withLock { state in
            guard !state.closed else { return false }
            state.open[key] = client
            return true
        }
        guard accepted else {
            client.close(promise: nil)
            return
        }
        defer { _ = connections.withLock { $0.open.removeValue(forKey: key) } }
        let vip = target.vipAddress
        let port = target.floatingIP.listenerPort
        do {
            let upstream = try await connector.connect(to: vip, port: port, on: client.eventLoop) { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(GlueHandler()) }
            }
            try await client.eventLoop.submit { try GlueHandler.join(client, upstream) }.get()
        } catch {
            // Contained: this connection fails, the listener goes on.
            logger.debug(
                "floating ip upstream failed",
                metadata: metadata([
                    "peer.address": "\(client.remoteAddress?.description ?? "?")", "error": "\(error)",
                ]))
            client.close(promise: nil)
        }
        // The task lives as long as the connection; cancelling it (the forwarder stopping) closes it.
        await withTaskCancellationHandler {
            try? await client.closeFuture.get()
        } onCancel: {
            client.close(promise: nil)
        }
    }

    private func metadata(_ extra: Logger.Metadata) -> Logger.Metadata {
        extra.merging(
            [
                "floatingip.id": "\(target.floatingIP.id)",
                "floatingip.endpoint": "\(target.floatingIP.floatingEndpoint)",
                "lb.id": "\(target.floatingIP.loadBalancerID)",
            ], uniquingKeysWith: { $1 })
    }
}
