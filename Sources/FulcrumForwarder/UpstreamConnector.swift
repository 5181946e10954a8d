public import FulcrumModel
public import NIOCore
import NIOPosix

/// Opens the forwarder's upstream connections (to a VIP). The port of the forwarder: the namespace
/// connector reaches VIPs inside the lab's network namespace, the direct one in the process's own (tests, and
/// deployments where VIPs are routable from the API host).
public protocol UpstreamConnector: Sendable {
    /// A connected TCP channel to `address:port`, registered on `eventLoop`, with remote half-closure allowed,
    /// `autoRead` off (the caller turns it on when it is ready for bytes) and `channelInitializer` run before
    /// the channel becomes active (as `ClientBootstrap.channelInitializer` does).
    func connect(
        to address: IPv4Address, port: Int, on eventLoop: any EventLoop,
        channelInitializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) async throws -> any Channel
}

extension UpstreamConnector {
    /// `connect` with no handlers of the caller's.
    public func connect(to address: IPv4Address, port: Int, on eventLoop: any EventLoop) async throws -> any Channel {
        try await connect(to: address, port: port, on: eventLoop) { $0.eventLoop.makeSucceededVoidFuture() }
    }
}

/// Connects from the process's own network namespace.
public struct DirectUpstreamConnector: UpstreamConnector {
    /// The longest wait for the VIP to accept.
    public var connectTimeout: Duration

    /// Creates the connector.
    public init(connectTimeout: Duration = .seconds(5)) {
        self.connectTimeout = connectTimeout
    }

    public func connect(
        to address: IPv4Address, port: Int, on eventLoop: any EventLoop,
        channelInitializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) async throws -> any Channel {
        do {
            return try await ClientBootstrap(group: eventLoop)
                .connectTimeout(TimeAmount(connectTimeout))
                .channelOption(.autoRead, value: false)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .channelInitializer(channelInitializer)
                .connect(host: address.description, port: port).get()
        } catch ChannelError.connectTimeout(_) {
            throw ForwarderError(.connectTimedOut, "\(address):\(port) did not accept within \(connectTimeout)")
        } catch {
            throw ForwarderError(.connectFailed, "cannot connect to \(address):\(port): \(error)")
        }
    }
}
