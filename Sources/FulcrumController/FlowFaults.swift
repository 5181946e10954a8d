public import Foundation

/// A test hook that makes a flow step fail after it executed, so that tests on real VMs can check each step's
/// revert (Octavia's revert statuses, nothing leaked). Production workers run without one.
public protocol FlowFaults: Sendable {
    /// The error to throw after `step` of `flow` executed, or nil to go on.
    func fault(flow: String, step: String) -> (any Error)?
}

/// The error an injected fault throws.
public struct InjectedFault: Error, Sendable, Hashable, CustomStringConvertible {
    /// The step it was injected after.
    public var step: String
    public var description: String { "fault injected after step \(step) (test hook)" }
}

/// Faults named in a file that is read again at every step: one step name per line (e.g. `amphora.boot.standalone`);
/// empty lines and lines starting with `#` are ignored; a missing file injects nothing. Tests write and remove the
/// file while the worker runs (`FULCRUM_TEST_FAULT_FILE`).
public struct FaultFile: FlowFaults {
    /// The file's path.
    public let path: String

    /// Creates the hook for `path`.
    public init(path: String) {
        self.path = path
    }

    public func fault(flow: String, step: String) -> (any Error)? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let named = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        return named.contains(step) ? InjectedFault(step: step) : nil
    }
}

extension FlowRunner {
    /// Where a flow run finds its fault hook (the dispatcher puts it there; subflows inherit the state).
    public static let faults = FlowKey<any FlowFaults>("test.faults")
}
