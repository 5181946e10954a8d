/// Picks the certificate for a TLS client's SNI server name the way HAProxy's crt-list does: every certificate
/// answers for its DNS subject alternative names and its common names; an exact name wins over a wildcard
/// (`*.example.com` covers exactly one more label, so `a.example.com` but neither `example.com` nor
/// `a.b.example.com`); among equals the earlier certificate wins; no name, or no match, gets the first (default)
/// certificate. Names compare case-insensitively and a trailing dot is ignored. Free of I/O.
struct SNICertificateSelector: Sendable, Hashable {
    private var exact: [String: Int] = [:]
    /// Wildcard suffix (`example.com` for `*.example.com`) → certificate index.
    private var wildcard: [String: Int] = [:]

    /// `names[i]` are the names certificate `i` answers for.
    init(names: [[String]]) {
        for (index, list) in names.enumerated() {
            for name in list {
                let name = Self.normalized(name)
                if name.hasPrefix("*.") {
                    let suffix = String(name.dropFirst(2))
                    if !suffix.isEmpty, wildcard[suffix] == nil { wildcard[suffix] = index }
                } else if !name.isEmpty, exact[name] == nil {
                    exact[name] = index
                }
            }
        }
    }

    /// The index of the certificate to serve for `serverName` (0, the default, when nothing matches).
    func select(_ serverName: String?) -> Int {
        guard let serverName else { return 0 }
        let name = Self.normalized(serverName)
        if let index = exact[name] { return index }
        if let dot = name.firstIndex(of: "."), let index = wildcard[String(name[name.index(after: dot)...])] {
            return index
        }
        return 0
    }

    private static func normalized(_ name: String) -> String {
        let lowered = name.lowercased()
        return lowered.hasSuffix(".") ? String(lowered.dropLast()) : lowered
    }
}
