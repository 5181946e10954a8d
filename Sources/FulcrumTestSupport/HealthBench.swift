public import Foundation
public import FulcrumModel
import FulcrumQueue
import FulcrumSQLite
import FulcrumStore
import FulcrumWire
import NIOCore
import NIOPosix

/// `make bench-health`: simulated amphorae on loopback send heartbeats at rising rates to a real
/// `fulcrum-health-manager` process; each step reports what was sent, accepted and dropped
/// (read from the manager's /metrics), and the SQLite write transactions it needed.
public enum HealthBench {
    /// One rate step's outcome.
    public struct Step: Sendable, CustomStringConvertible {
        public var targetRate: Int
        public var sent: Int
        public var seconds: Double
        public var received: Double
        public var accepted: Double
        public var overloaded: Double
        public var transactions: Double

        public var description: String {
            let dropped = Double(sent) - accepted
            return String(
                format:
                    "target=%6d/s sent=%7.0f/s accepted=%7.0f/s dropped=%6.0f (%.2f%%) overloaded=%.0f sqlite_tx=%5.1f/s",
                targetRate, Double(sent) / seconds, accepted / seconds, dropped, 100 * dropped / Double(max(sent, 1)),
                overloaded, transactions / seconds)
        }
    }

    /// The ids `seed` creates for `count` amphorae.
    public static func fleet(_ count: Int) -> [(amphora: String, listener: String, pool: String, members: [String])] {
        (0..<count).map { ("amp-\($0)", "l-\($0)", "p-\($0)", ["m-\($0)-0", "m-\($0)-1"]) }
    }

    /// Seeds `amphorae` amphorae, each serving a load balancer with one listener, one pool and two members.
    public static func seed(databasePath: String, amphorae: Int) async throws {
        let database = try FulcrumDatabase.open(path: databasePath)
        try database.migrate()
        var unlimited = Quota()
        for resource in QuotaResource.allCases { unlimited[resource] = -1 }
        let store = SQLiteStore(database: database, defaultQuota: unlimited)
        let subnet = Subnet(name: "bench-subnet", cidr: IPv4Network("198.51.100.0/22")!, bridge: "fulcrum-private")
        try await store.syncSubnets([subnet])
        for index in 0..<amphorae {
            let lb = LoadBalancer(id: "lb-\(index)", projectID: "bench", vipSubnetID: "bench-subnet")
            let listener = Listener(
                id: "l-\(index)", projectID: "bench", loadBalancerID: lb.id, protocol: .http, protocolPort: 80)
            let pool = Pool(
                id: "p-\(index)", projectID: "bench", loadBalancerID: lb.id, protocol: .http, lbAlgorithm: .roundRobin)
            let members = (0..<2).map {
                Member(
                    id: "m-\(index)-\($0)", projectID: "bench", poolID: pool.id, address: "198.51.100.\(16 + $0)",
                    protocolPort: 80)
            }
            for (resource, options) in [
                (Resource.loadBalancer(lb), CreateOptions()), (.listener(listener), .init()),
                (.pool(pool), .init(defaultPoolOfListener: listener.id)),
            ]
                + members.map({ (Resource.member($0), CreateOptions()) })
            {
                _ = try await store.create(resource, options: options, task: TaskRequest(kind: "bench"))
                while let claimed = try await store.queue.claim(owner: "bench") {
                    try await store.queue.complete(claimed.lease, changes: claimed.task.lockSet?.onSuccess ?? [])
                }
            }
            try await store.insertAmphora(
                Amphora(id: "amp-\(index)", loadBalancerID: lb.id, role: .standalone, status: .allocated))
        }
    }

    /// Runs the rate steps against a health manager listening on `udpPort` whose metrics are at `metricsPort`.
    public static func run(
        key: String, udpPort: Int, metricsPort: Int,
        fleet: [(amphora: String, listener: String, pool: String, members: [String])],
        rates: [Int], stepSeconds: Int
    ) async throws -> [Step] {
        let codec = HeartbeatCodec(key: key)
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.so_sndbuf), value: 8 << 20)
            .bind(host: "127.0.0.1", port: 0).get()
        let target = try SocketAddress(ipAddress: "127.0.0.1", port: udpPort)
        var seq: UInt64 = 0
        var steps: [Step] = []
        for rate in rates {
            let total = rate * stepSeconds
            // Pre-seal the step's datagrams so sealing cost does not limit the send rate.
            var datagrams: [ByteBuffer] = []
            datagrams.reserveCapacity(total)
            for index in 0..<total {
                let unit = fleet[index % fleet.count]
                if index % fleet.count == 0 { seq += 1 }
                let message = HeartbeatMessage(
                    id: unit.amphora, seq: seq,
                    listeners: [
                        unit.listener: .init(
                            status: "OPEN", stats: .init(rx: 100, tx: 1_000, conns: 1, totconns: 1, ereq: 0))
                    ],
                    pools: [
                        "\(unit.pool):\(unit.listener)": .init(
                            status: "UP", members: Dictionary(uniqueKeysWithValues: unit.members.map { ($0, "UP") }))
                    ],
                    bootId: "bench")
                datagrams.append(ByteBuffer(bytes: try codec.seal(message)))
            }
            let before = try await metrics(port: metricsPort)
            let start = ContinuousClock.now
            let tick = Duration.milliseconds(10)
            let perTick = max(1, rate / 100)
            var sent = 0
            var next = start
            while sent < total {
                for datagram in datagrams[sent..<min(sent + perTick, total)] {
                    channel.write(AddressedEnvelope(remoteAddress: target, data: datagram), promise: nil)
                }
                channel.flush()
                sent = min(sent + perTick, total)
                next = next + tick
                try await Task.sleep(until: next, clock: .continuous)
            }
            // Let the manager finish the step (bounded), then read its counters.
            var after = try await metrics(port: metricsPort)
            let settle = ContinuousClock.now + .seconds(10)
            while (after["fulcrum_heartbeat_received_total"] ?? 0) - (before["fulcrum_heartbeat_received_total"] ?? 0)
                < Double(total),
                ContinuousClock.now < settle
            {
                try await Task.sleep(for: .milliseconds(200))
                after = try await metrics(port: metricsPort)
            }
            try await Task.sleep(for: .milliseconds(500))
            after = try await metrics(port: metricsPort)
            func delta(_ name: String) -> Double { (after[name] ?? 0) - (before[name] ?? 0) }
            steps.append(
                Step(
                    targetRate: rate, sent: total, seconds: Double(stepSeconds),
                    received: delta("fulcrum_heartbeat_received_total"),
                    accepted: delta("fulcrum_heartbeat_accepted_total"),
                    overloaded: delta("fulcrum_heartbeat_rejected_total{reason=\"overloaded\"}"),
                    transactions: delta("fulcrum_heartbeat_batches_total")))
        }
        try await channel.close()
        return steps
    }

    /// The manager's counters from `/metrics` (fetched with curl).
    static func metrics(port: Int) async throws -> [String: Double] {
        let data = try await ToolRun.run(
            "/usr/bin/curl", ["-sS", "--max-time", "5", "http://127.0.0.1:\(port)/metrics"], timeout: .seconds(10)
        ).output
        var values: [String: Double] = [:]
        for line in data.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }
}
