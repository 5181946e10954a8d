import Foundation

/// Textual IP address and CIDR checks (IPv4 through `IPv4Address`, IPv6 minimally).
public enum IPAddressText {
    /// Whether `text` is an IPv4 dotted quad or an IPv6 address.
    public static func isValid(_ text: String) -> Bool {
        IPv4Address(text) != nil || isIPv6(text)
    }

    /// Whether `text` is a textual IPv6 address (RFC 4291 §2.2 forms, no zone id).
    public static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":"), text.allSatisfy(\.isASCII) else { return false }
        var body = Substring(text)
        var tailGroups = 0
        // An embedded IPv4 address ("::ffff:1.2.3.4") counts as two groups.
        if let lastColon = body.lastIndex(of: ":"), body[lastColon...].contains(".") {
            guard IPv4Address(String(body[body.index(after: lastColon)...])) != nil else { return false }
            body = body[...lastColon]
            if !body.hasSuffix("::") { body = body.dropLast() }
            tailGroups = 2
        }
        let halves = body.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ half: String) -> [Substring]? {
            if half.isEmpty { return [] }
            let parts = half.split(separator: ":", omittingEmptySubsequences: false)
            let valid = parts.allSatisfy { part in
                (1...4).contains(part.count) && part.allSatisfy(\.isHexDigit)
            }
            return valid ? parts : nil
        }
        guard let head = groups(halves[0]) else { return false }
        if halves.count == 1 {
            return head.count + tailGroups == 8
        }
        guard let tail = groups(halves[1]) else { return false }
        return head.count + tail.count + tailGroups <= 7
    }

    /// Whether `text` is a CIDR the way Octavia's `CidrType` (netaddr) reads it: an IPv4 or IPv6
    /// address with an optional `/prefix` in range; host bits may be set.
    public static func isCIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        let address = String(parts[0])
        let maxPrefix: Int
        if IPv4Address(address) != nil {
            maxPrefix = 32
        } else if isIPv6(address) {
            maxPrefix = 128
        } else {
            return false
        }
        guard parts.count == 2 else { return true }
        guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber),
            let prefix = Int(parts[1])
        else { return false }
        return (0...maxPrefix).contains(prefix)
    }
}
