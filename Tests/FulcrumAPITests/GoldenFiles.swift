import Foundation
import Testing

/// Golden files under `Tests/FulcrumAPITests/Golden/<suite>/`, compared byte for byte. With
/// `FULCRUM_UPDATE_GOLDEN=1` in the environment the expected files are rewritten from the actual output instead
/// (and files no test wrote are removed): review the result with `git diff`.
struct GoldenFiles {
    let directory: URL
    private(set) var checked: Set<String> = []

    static var updating: Bool { ProcessInfo.processInfo.environment["FULCRUM_UPDATE_GOLDEN"] == "1" }

    init(suite: String, filePath: String = #filePath) {
        directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden").appendingPathComponent(suite)
    }

    /// Records an issue with a line diff when `actual` differs from the golden file `name` (or rewrites it).
    mutating func check(_ actual: String, name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        checked.insert(name)
        let url = directory.appendingPathComponent(name)
        if Self.updating {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record(
                "golden file \(name) is missing; run with FULCRUM_UPDATE_GOLDEN=1 to write it",
                sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if expected != actual {
            let diff = Self.diff(expected, actual)
            Issue.record(
                "output differs from \(url.path) (- golden, + actual; FULCRUM_UPDATE_GOLDEN=1 rewrites it):\n\(diff)",
                sourceLocation: sourceLocation)
        }
    }

    /// Golden files in the directory that no `check` named: an issue, or removed when updating.
    func checkNoneLeftOver(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let present = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in present.sorted() where !checked.contains(name) {
            if Self.updating {
                try FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            } else {
                Issue.record("golden file \(name) was not produced by any step", sourceLocation: sourceLocation)
            }
        }
    }

    /// A line diff of two texts (longest common subsequence): ` ` kept, `-` only expected, `+` only actual. Line
    /// ends are shown as `⏎` and trailing spaces as `·` so whitespace-only differences stay visible.
    static func diff(_ expected: String, _ actual: String) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var common = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                common[i][j] = old[i] == new[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        func shown(_ line: String) -> String {
            let body = line.replacing(/\ +$/) { String(repeating: "·", count: $0.output.count) }
            return body + "⏎"
        }
        var lines: [String] = []
        var (i, j) = (0, 0)
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                lines.append("  " + shown(old[i]))
                (i, j) = (i + 1, j + 1)
            } else if i < old.count, j == new.count || common[i + 1][j] >= common[i][j + 1] {
                lines.append("- " + shown(old[i]))
                i += 1
            } else {
                lines.append("+ " + shown(new[j]))
                j += 1
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Replaces the volatile parts of CLI output with stable placeholders of the same length, so tables keep their
/// widths: each distinct UUID becomes `00000000-0000-4000-8000-<n>` numbered in order of first appearance
/// (the same object keeps its number across every step), each `YYYY-MM-DDThh:mm:ss` timestamp that literal text,
/// and the server's allocated port `PORT`.
struct VolatileText {
    private var uuids: [String: String] = [:]
    private let serverURL: String

    init(serverURL: String) {
        self.serverURL = serverURL
    }

    mutating func normalise(_ text: String) -> String {
        var out = text.replacingOccurrences(of: serverURL, with: "http://127.0.0.1:PORT")
        out = out.replacing(/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/) { match in
            let uuid = match.output.lowercased()
            if let known = uuids[uuid] { return known }
            let number = String(uuids.count + 1)
            let placeholder = "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - number.count) + number
            uuids[uuid] = placeholder
            return placeholder
        }
        return out.replacing(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/) { _ in "YYYY-MM-DDThh:mm:ss" }
    }
}
