import FulcrumModel
import FulcrumStore

/// What one poll changes: the listeners to close and the floating IPs to start listening for, so that the
/// open listeners match the store. A value computed without I/O (tested on its own).
struct ForwardingPlan: Sendable, Hashable {
    /// Ids of open listeners whose floating IP is gone or changed.
    var close: [String]
    /// Floating IPs without an open listener, oldest first.
    var open: [FloatingIPTarget]

    /// The plan from the listeners open now (by floating-IP id) to `desired` (what the store says).
    init(current: [String: FloatingIPTarget], desired: [FloatingIPTarget]) {
        let wanted = Dictionary(desired.map { ($0.floatingIP.id, $0) }, uniquingKeysWith: { first, _ in first })
        close = current.filter { id, target in wanted[id] != target }.keys.sorted()
        // A changed target is closed above and reopened here.
        open = desired.filter { current[$0.floatingIP.id] != $0 }
    }
}

/// Bind failures already reported, so a port that stays busy is logged once, not once a second.
struct BindFailures: Sendable, Hashable {
    private var reported: [String: String] = [:]

    /// Records `message` for `id`; true when it is new (or different) and should be logged.
    mutating func record(_ id: String, _ message: String) -> Bool {
        guard reported[id] != message else { return false }
        reported[id] = message
        return true
    }

    /// Forgets `id` (it was bound, or its floating IP is gone).
    mutating func clear(_ id: String) { reported[id] = nil }

    /// Forgets every id not in `ids`.
    mutating func keep(only ids: Set<String>) { reported = reported.filter { ids.contains($0.key) } }
}
