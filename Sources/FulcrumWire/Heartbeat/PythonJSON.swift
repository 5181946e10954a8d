/// Writes JSON exactly as Python's `json.dumps(obj)` does with its defaults (which Octavia's
/// `jsonutils.dumps` keeps): `", "` and `": "` separators, `ensure_ascii=True` escapes, keys in the order given.
struct PythonJSONWriter {
    private(set) var bytes: [UInt8] = []

    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func integer(_ value: some BinaryInteger) { raw(String(value)) }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": raw("\\\"")
            case "\\": raw("\\\\")
            case "\n": raw("\\n")
            case "\r": raw("\\r")
            case "\t": raw("\\t")
            case "\u{08}": raw("\\b")
            case "\u{0C}": raw("\\f")
            default:
                // Python's ESCAPE_ASCII: everything outside " "..."~" becomes \uXXXX (UTF-16 units).
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    if scalar.value > 0xFFFF {
                        let v = scalar.value - 0x10000
                        escape(UInt16(0xD800 + (v >> 10)))
                        escape(UInt16(0xDC00 + (v & 0x3FF)))
                    } else {
                        escape(UInt16(scalar.value))
                    }
                } else {
                    bytes.append(UInt8(scalar.value))
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ unit: UInt16) {
        let hex = String(unit, radix: 16)
        raw("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
    }

    /// Writes `{"k": v, ...}` with `body` called once per entry, in the order of `entries`.
    mutating func object<T>(_ entries: [(String, T)], _ body: (inout PythonJSONWriter, T) -> Void) {
        raw("{")
        for (index, entry) in entries.enumerated() {
            if index > 0 { raw(", ") }
            string(entry.0)
            raw(": ")
            body(&self, entry.1)
        }
        raw("}")
    }
}
