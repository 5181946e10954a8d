import CoreMetrics
public import Foundation
public import FulcrumModel
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle

/// Receives heartbeat datagrams on one address, authenticates them and queues them for the
/// updater. A bad datagram is counted and dropped; nothing a sender does stops the loop.
public struct HeartbeatListener: Service {
    /// Where to listen.
    public var host: String
    public var port: Int
    let key: String
    let buffer: HeartbeatBuffer
    let metrics: HealthManagerMetrics
    let clock: any WallClock
    let logger: Logger
    /// Called with the bound port once listening (tests bind port 0).
    let onBound: @Sendable (Int) -> Void

    /// Creates a listener.
    public init(
        host: String, port: Int, key: String, buffer: HeartbeatBuffer, metrics: HealthManagerMetrics,
        clock: any WallClock = SystemWallClock(), logger: Logger, onBound: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.key = key
        self.buffer = buffer
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.onBound = onBound
    }

    public func run() async throws {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: 8 << 20)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let boundPort = channel.channel.localAddress?.port ?? port
        logger.info("listening for heartbeats", metadata: ["address": "\(host):\(boundPort)"])
        onBound(boundPort)
        var intake = HeartbeatIntake(key: key)
        try await withGracefulShutdownHandler {
            try await channel.executeThenClose { inbound, _ in
                var iterator = inbound.makeAsyncIterator()
                while let envelope = try await iterator.next() {
                    let bytes = Array(envelope.data.readableBytesView)
                    switch intake.admit(bytes) {
                    case .success(let message):
                        let refused = await buffer.append([ReceivedHeartbeat(message: message, receivedAt: clock.now())]
                        )
                        if refused > 0 { metrics.reject(.overloaded, count: refused) }
                    case .failure(let reason):
                        metrics.reject(reason)
                        logger.debug(
                            "heartbeat rejected",
                            metadata: ["reason": "\(reason.rawValue)", "peer.address": "\(envelope.remoteAddress)"])
                    }
                    // Counted once handled, so "received" means "in the buffer or rejected".
                    metrics.received.increment()
                }
            }
        } onGracefulShutdown: {
            channel.channel.close(promise: nil)
        }
    }
}
