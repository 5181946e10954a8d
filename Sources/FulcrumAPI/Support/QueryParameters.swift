import Foundation

/// The query string as ordered (name, value) pairs, percent-decoded; names may repeat (`fields=a&fields=b`).
struct QueryParameters: Sendable {
    var pairs: [(name: String, value: String)]

    init(_ query: String?) {
        pairs = (query ?? "").split(separator: "&", omittingEmptySubsequences: true).map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The last value of `name`.
    subscript(name: String) -> String? {
        pairs.last(where: { $0.name == name })?.value
    }

    /// Every value of `name`, comma lists split.
    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.flatMap { $0.value.split(separator: ",").map(String.init) }
    }

    /// Whether `name` is `true` (case-insensitive, `1` too).
    func flag(_ name: String) -> Bool {
        guard let value = self[name]?.lowercased() else { return false }
        return value == "true" || value == "1" || value == "yes"
    }
}
