import FulcrumWire
import Synchronization

/// What the metrics exposition reads: the listeners and pools in force, swapped by ``Engine/apply(_:)``. Shared
/// with the PROMETHEUS listener's connections, which render on their event loop without going through the
/// engine actor; rendering only loads atomics and takes each pool's lock briefly.
final class EngineMetrics: Sendable {
    private struct Current: Sendable {
        var listeners: [ListenerRuntime] = []
        var pools: [PoolRuntime] = []
        var generation: UInt64 = 0
    }

    private let current = Mutex(Current())

    /// Publishes what is in force after an apply (or nothing, after shutdown).
    func publish(listeners: [ListenerRuntime], pools: [PoolRuntime], generation: UInt64) {
        let listeners = listeners.sorted { $0.id < $1.id }
        let pools = pools.sorted { $0.id < $1.id }
        current.withLock { $0 = Current(listeners: listeners, pools: pools, generation: generation) }
    }

    /// The Prometheus text of every listener and member counter. Labels are configuration ids (bounded by the
    /// configuration), never client addresses.
    func render() -> String {
        let current = current.withLock { $0 }
        var writer = ExpositionWriter()
        writer.family(
            "fulcrum_amphora_config_generation", .gauge, help: "Generation of the configuration in force (0: none).",
            [.init([], current.generation)])
        renderListeners(current.listeners, into: &writer)
        renderMembers(current.pools, into: &writer)
        return writer.text
    }

    private func renderListeners(_ listeners: [ListenerRuntime], into writer: inout ExpositionWriter) {
        let snapshots = listeners.map { (id: $0.id, runtime: $0, stats: $0.counters.snapshot) }
        func samples(_ value: (ListenerRuntime, TrafficStats) -> UInt64) -> [ExpositionWriter.Sample] {
            snapshots.map { .init([("listener", $0.id)], value($0.runtime, $0.stats)) }
        }
        writer.family(
            "fulcrum_listener_connections_current", .gauge, help: "Client connections open now.",
            samples { $1.activeConnections })
        writer.family(
            "fulcrum_listener_connections_total", .counter, help: "Client connections accepted.",
            samples { $1.totalConnections })
        writer.family(
            "fulcrum_listener_connection_limit", .gauge, help: "Most client connections the listener admits.",
            samples { runtime, _ in UInt64(max(runtime.settings.config.effectiveConnectionLimit, 0)) })
        writer.family(
            "fulcrum_listener_bytes_in_total", .counter, help: "Bytes received from clients.", samples { $1.bytesIn })
        writer.family(
            "fulcrum_listener_bytes_out_total", .counter, help: "Bytes sent to clients.", samples { $1.bytesOut })
        let http = snapshots.filter { $0.runtime.parsesHTTP }
        writer.family(
            "fulcrum_listener_requests_total", .counter, help: "HTTP requests received (HTTP-parsing listeners).",
            http.map { .init([("listener", $0.id)], $0.runtime.counters.requests.load(ordering: .relaxed)) })
        writer.family(
            "fulcrum_listener_request_errors_total", .counter, help: "Requests refused as malformed or denied.",
            samples { $1.requestErrors })
        writer.family(
            "fulcrum_listener_status", .gauge, help: "Listener state: 1 for the state it is in (OPEN or FULL).",
            snapshots.flatMap { entry -> [ExpositionWriter.Sample] in
                let status = entry.runtime.status
                return ["OPEN", "FULL"].map { .init([("listener", entry.id), ("state", $0)], status == $0 ? 1 : 0) }
            })
    }

    private func renderMembers(_ pools: [PoolRuntime], into writer: inout ExpositionWriter) {
        let members = pools.flatMap { pool in
            pool.memberMetrics.map { (pool: pool.id, id: $0.id, status: $0.status, stats: $0.counters.snapshot) }
        }
        func samples(_ value: (TrafficStats) -> UInt64) -> [ExpositionWriter.Sample] {
            members.map { .init([("pool", $0.pool), ("member", $0.id)], value($0.stats)) }
        }
        writer.family(
            "fulcrum_member_up", .gauge, help: "1 when the member takes traffic (UP, DRAIN or not checked), else 0.",
            members.map { member -> ExpositionWriter.Sample in
                let up = member.status != .down && member.status != .maint
                return .init([("pool", member.pool), ("member", member.id)], up ? 1 : 0)
            })
        writer.family(
            "fulcrum_member_status", .gauge,
            help: "Member health: 1 for the state it is in (UP, DOWN, DRAIN, MAINT, NO_CHECK).",
            members.flatMap { member in
                MemberStatus.allCases.map { status -> ExpositionWriter.Sample in
                    .init(
                        [("pool", member.pool), ("member", member.id), ("state", status.metricLabel)],
                        member.status == status ? 1 : 0)
                }
            })
        writer.family(
            "fulcrum_member_connections_current", .gauge, help: "Connections to the member open now.",
            samples { $0.activeConnections })
        writer.family(
            "fulcrum_member_connections_total", .counter, help: "Connections made to the member.",
            samples { $0.totalConnections })
        writer.family(
            "fulcrum_member_bytes_in_total", .counter, help: "Bytes sent to the member.", samples { $0.bytesIn })
        writer.family(
            "fulcrum_member_bytes_out_total", .counter, help: "Bytes received from the member.",
            samples { $0.bytesOut })
    }
}

extension MemberStatus {
    /// The status as a label value (`no check` → `NO_CHECK`).
    var metricLabel: String { self == .noCheck ? "NO_CHECK" : rawValue }
}

extension ListenerRuntime {
    /// Whether connections are parsed as HTTP (so requests are counted).
    var parsesHTTP: Bool { [.http, .terminatedHTTPS, .prometheus].contains(`protocol`) }
}
