import Foundation
public import FulcrumAPITypes

/// The CLI's output: a `Field | Value` table (like the OpenStack client's) or JSON (`-f json`).
public enum TableRenderer {
    /// `object`'s attributes, one row each, sorted by name.
    public static func table(_ object: JSONValue) -> String {
        let rows = (object.objectValue ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, text($0.value)) }
        return grid(header: ["Field", "Value"], rows: rows.map { [$0.0, $0.1] })
    }

    /// One row per object with the given columns.
    public static func list(_ objects: [JSONValue], columns: [String]) -> String {
        grid(header: columns, rows: objects.map { object in columns.map { text(object[$0] ?? .null) } })
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return "None"
        case .array(let values):
            return values.map { $0["id"]?.stringValue ?? $0.queryText ?? text($0) }.joined(separator: "\n")
        case .object:
            let data = (try? value.encoded()) ?? Data()
            return String(decoding: data, as: UTF8.self)
        case .bool(let flag): return flag ? "True" : "False"
        default: return value.queryText ?? ""
        }
    }

    /// `value` as JSON indented by four spaces, keys sorted, as the OpenStack clients print a status tree.
    public static func indentedJSON(_ value: JSONValue) -> String {
        indented(value, depth: 0)
    }

    static func indented(_ value: JSONValue, depth: Int) -> String {
        let inner = String(repeating: " ", count: 4 * (depth + 1))
        let outer = String(repeating: " ", count: 4 * depth)
        switch value {
        case .array(let values) where !values.isEmpty:
            let items = values.map { inner + indented($0, depth: depth + 1) }
            return "[\n" + items.joined(separator: ",\n") + "\n" + outer + "]"
        case .object(let members) where !members.isEmpty:
            let items = members.sorted { $0.key < $1.key }.map { key, member in
                inner + scalar(.string(key)) + ": " + indented(member, depth: depth + 1)
            }
            return "{\n" + items.joined(separator: ",\n") + "\n" + outer + "}"
        default:
            return scalar(value)
        }
    }

    /// A scalar or empty container as compact JSON.
    static func scalar(_ value: JSONValue) -> String {
        String(decoding: (try? value.encoded()) ?? Data(), as: UTF8.self)
    }

    static func grid(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], cell.split(separator: "\n").map(\.count).max() ?? 0)
            }
        }
        let rule = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+"
        func line(_ cells: [String]) -> String {
            "| "
                + cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: " | ") + " |"
        }
        var out = [rule, line(header), rule]
        for row in rows {
            let split = row.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
            let height = split.map(\.count).max() ?? 1
            for index in 0..<height {
                out.append(line(split.map { index < $0.count ? $0[index] : "" }))
            }
        }
        out.append(rule)
        return out.joined(separator: "\n")
    }
}
