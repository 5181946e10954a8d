/// One line of `fulcrum doctor`'s report: what was checked, how it went, and what to do about it.
public struct DoctorCheck: Sendable, Hashable, CustomStringConvertible {
    /// How a check went.
    public enum Status: String, Sendable, Hashable, Comparable {
        /// Fine.
        case ok = "OK"
        /// Works, but look at it (e.g. the clock is not NTP-synchronised, a port is held by our own service).
        case warn = "WARN"
        /// Will not work until fixed; the detail says how.
        case fail = "FAIL"

        private var rank: Int {
            switch self {
            case .ok: 0
            case .warn: 1
            case .fail: 2
            }
        }

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rank < rhs.rank }
    }

    /// Short name of what was checked (`config`, `database`, `image`, `libvirt`, `bridge`, `clock`, `port`).
    public var name: String
    /// The outcome.
    public var status: Status
    /// What was found and, for WARN and FAIL, what to do.
    public var detail: String

    /// Creates a check result.
    public init(_ name: String, _ status: Status, _ detail: String) {
        self.name = name
        self.status = status
        self.detail = detail
    }

    /// `FAIL  database   /var/lib/fulcrum/fulcrum.db: outdated schema …`.
    public var description: String {
        func padded(_ text: String, _ width: Int) -> String {
            text + String(repeating: " ", count: max(1, width - text.count))
        }
        return padded(status.rawValue, 6) + padded(name, 10) + detail
    }
}

/// Every check `fulcrum doctor` ran, in order.
public struct DoctorReport: Sendable, Hashable {
    /// The checks, in the order they ran.
    public var checks: [DoctorCheck]

    /// Creates a report.
    public init(checks: [DoctorCheck]) {
        self.checks = checks
    }

    /// Whether any check failed (the command then exits 1).
    public var hasFailures: Bool { checks.contains { $0.status == .fail } }

    /// The lines `fulcrum doctor` prints: one per check, then a summary.
    public var lines: [String] {
        let failures = checks.count { $0.status == .fail }
        let warnings = checks.count { $0.status == .warn }
        let summary =
            failures == 0 && warnings == 0
            ? "all \(checks.count) checks passed"
            : "\(failures) failed, \(warnings) warning(s), \(checks.count - failures - warnings) passed"
        return checks.map(\.description) + [summary]
    }
}
