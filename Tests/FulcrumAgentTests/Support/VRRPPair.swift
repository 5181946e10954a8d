import FulcrumAgent
import FulcrumWire
import Logging
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One amphora of a loopback pair: its address, a recording actuator and a health switch that outlive restarts.
final class VRRPNode: Sendable {
    let address: String
    let peer: String
    let priority: Int
    let port: Int
    /// The advert interval of this node's owners.
    let intervalMs: Int
    let actuator = RecordingVIPActuator()
    let healthy = Atomic<Bool>(true)
    /// Errors thrown by this node's owners' `run()`.
    let runErrors = Mutex<[String]>([])
    static let vip = "127.0.0.100"
    static let key = "pair-secret"

    init(address: String, peer: String, priority: Int, port: Int, intervalMs: Int = 200) {
        self.address = address
        self.peer = peer
        self.priority = priority
        self.port = port
        self.intervalMs = intervalMs
    }

    var config: AmphoraConfig {
        AmphoraConfig(
            generation: 1, amphoraId: "amp-\(address)", role: priority == 100 ? .master : .backup,
            priority: priority, peers: [peer], vip: Self.vip,
            vrrp: VRRPConfig(
                interface: "lo", address: address, port: port, advertIntervalMs: intervalMs, vipPrefixLength: 32,
                authKey: Self.key, garpCount: 2, garpIntervalMs: 100))
    }

    /// A fresh owner (a new boot) for this node.
    func owner() throws -> VIPOwner {
        guard let settings = try VIPOwner.Settings(config) else { throw NotVRRP() }
        return VIPOwner(
            settings: settings, actuator: actuator, isEngineServing: { self.healthy.load(ordering: .relaxed) },
            logger: Logger(label: "test.vrrp"))
    }

    /// The VIP add/remove calls so far.
    var vipChanges: [RecordingVIPActuator.Call] {
        actuator.calls.filter { if case .gratuitousARP = $0 { false } else { true } }
    }

    struct NotVRRP: Error {}
}

/// Runs owners in a test: each until its kill switch is thrown (a crash: the task is cancelled) or it returns.
struct OwnerRunner {
    /// Starts `owner` of `node`; finishing the returned continuation cancels it.
    static func start(
        _ owner: VIPOwner, of node: VRRPNode, in group: inout ThrowingDiscardingTaskGroup<any Error>
    ) -> AsyncStream<Void>.Continuation {
        let (killed, kill) = AsyncStream<Void>.makeStream()
        group.addTask {
            await withTaskGroup(of: Void.self) { inner in
                inner.addTask {
                    do {
                        try await owner.run()
                    } catch {
                        node.runErrors.withLock { $0.append("\(error)") }
                    }
                }
                inner.addTask { for await _ in killed {} }
                await inner.next()
                inner.cancelAll()
            }
        }
        return kill
    }

    /// A UDP port free on every one of `addresses`, below the ephemeral range (32768 and up), so no other
    /// test's bind to port 0 can take it between an owner's stop and its restart. Probed with close-on-exec
    /// sockets: a child another test spawns meanwhile must not keep the probe bound.
    static func freePort(on addresses: [String]) async throws -> Int {
        for _ in 0..<50 {
            let port = Int.random(in: 20_000..<30_000)
            var probes: [Int32] = []
            var free = true
            for address in addresses where free {
                let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
                guard fd >= 0 else {
                    free = false
                    continue
                }
                probes.append(fd)
                let bound = try SocketAddress(ipAddress: address, port: port).withSockAddr {
                    bind(fd, $0, socklen_t($1))
                }
                free = bound == 0
            }
            for fd in probes { close(fd) }
            if free { return port }
        }
        throw NoFreePort()
    }

    struct NoFreePort: Error {}

    /// Polls `condition` every 20 ms for up to `seconds`.
    static func eventually(seconds: Double = 15, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
