import FulcrumWire
import NIOCore
import NIOPosix

/// Sets up a TCP-mode client connection: pick a member, connect (retrying other members on failure),
/// then glue the two channels.
enum TCPProxy {
    static let connectAttempts = 3

    static func start(client: any Channel, listener: ListenerRuntime) {
        let settings = listener.settings
        guard let pool = settings.pool else {
            client.close(promise: nil)
            return
        }
        let key = ClientKey(address: client.remoteAddress?.ipAddress ?? "", port: client.remoteAddress?.port ?? 0)
        connect(client: client, listener: listener, pool: pool, key: key, settings: settings, tried: [])
    }

    private static func connect(
        client: any Channel, listener: ListenerRuntime, pool: PoolRuntime, key: ClientKey,
        settings: ListenerSettings, tried: [String]
    ) {
        guard tried.count < connectAttempts, let lease = pool.lease(for: key, excluding: tried) else {
            client.close(promise: nil)
            return
        }
        let memberTimeout = settings.memberTimeout
        ClientBootstrap(group: client.eventLoop)
            .connectTimeout(settings.connectTimeout)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connect(host: lease.address, port: lease.port)
            .whenComplete { result in
                switch result {
                case .failure:
                    lease.counters.closed()
                    lease.release()
                    connect(
                        client: client, listener: listener, pool: pool, key: key, settings: settings,
                        tried: tried + [lease.memberId])
                case .success(let member):
                    glue(client: client, member: member, listener: listener, lease: lease, memberTimeout: memberTimeout)
                }
            }
    }

    private static func glue(
        client: any Channel, member: any Channel, listener: ListenerRuntime, lease: MemberLease,
        memberTimeout: TimeAmount?
    ) {
        member.closeFuture.whenComplete { _ in
            lease.counters.closed()
            lease.release()
        }
        client.eventLoop.execute {
            let counters = listener.counters
            let memberCounters = lease.counters
            let (clientGlue, memberGlue) = GlueHandler.matchedPair(
                client: { bytes in
                    counters.addIn(bytes)
                    memberCounters.addIn(bytes)
                },
                member: { bytes in
                    counters.addOut(bytes)
                    memberCounters.addOut(bytes)
                })
            do {
                if let memberTimeout {
                    try member.pipeline.syncOperations.addHandler(
                        IdleTimeoutHandler(timeout: memberTimeout))
                }
                try member.pipeline.syncOperations.addHandler(memberGlue)
                try client.pipeline.syncOperations.addHandler(clientGlue)
                try client.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
            } catch {
                client.close(promise: nil)
                member.close(promise: nil)
            }
        }
    }
}
