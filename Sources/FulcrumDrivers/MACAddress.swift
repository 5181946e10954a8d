/// MAC addresses for amphora NICs: locally administered, in QEMU's `52:54:00` range.
public enum MACAddress {
    /// A stable MAC for NIC `index` of `amphoraID` (FNV-1a of both; three low bytes after `52:54:00`).
    public static func derived(amphoraID: String, index: Int) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in Array(amphoraID.utf8) + [UInt8(truncatingIfNeeded: index), 0x2f] {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        let bytes = [
            UInt8(0x52), 0x54, 0x00, UInt8(truncatingIfNeeded: hash >> 16), UInt8(truncatingIfNeeded: hash >> 8),
            UInt8(truncatingIfNeeded: hash),
        ]
        return bytes.map(hex).joined(separator: ":")
    }

    /// Whether `text` is six colon-separated lowercase or uppercase hex pairs.
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
    }
}
