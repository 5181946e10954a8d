import NIOCore
import NIOPosix

/// Free TCP ports on 127.0.0.1 for tests that must know a port before a server binds it.
///
/// Ports come from 10000–19999 (the engine tests take 20000–29999), below Linux's ephemeral range (32768–60999):
/// a port from the ephemeral range can be taken meanwhile by another test's outgoing connection, or a connect to
/// it can connect to itself (TCP self-connect on loopback).
public enum LoopbackPort {
    /// A port that could be bound on `host` just now.
    public static func free(host: String = "127.0.0.1") async throws -> Int {
        for _ in 0..<200 {
            let candidate = Int.random(in: 10_000..<20_000)
            guard
                let channel = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .bind(host: host, port: candidate).get()
            else { continue }
            try await channel.close()
            return candidate
        }
        throw ChannelError.connectPending
    }
}
