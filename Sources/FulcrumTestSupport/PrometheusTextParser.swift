/// The line-by-line parser behind ``PrometheusText``.
struct PrometheusTextParser {
    typealias Family = PrometheusText.Family
    typealias Sample = PrometheusText.Sample

    static let types: Set<String> = ["counter", "gauge", "histogram", "summary", "untyped"]

    let text: String
    var families: [Family] = []
    /// Families whose lines have ended (another family started after them).
    var closed: Set<String> = []
    /// Families whose TYPE was declared.
    var declared: Set<String> = []
    var lineNumber = 0

    init(_ text: String) { self.text = text }

    mutating func parse() throws(PrometheusTextError) -> [Family] {
        guard text.isEmpty || text.hasSuffix("\n") else { throw PrometheusTextError(line: 0, "no final newline") }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            lineNumber += 1
            if line.isEmpty { continue }
            if line.first == "#" {
                try comment(line)
            } else {
                try sample(line)
            }
        }
        for family in families { try check(family) }
        return families
    }

    func fail(_ message: String) -> PrometheusTextError { PrometheusTextError(line: lineNumber, message) }

    // MARK: - Metadata

    mutating func comment(_ line: Substring) throws(PrometheusTextError) {
        let tokens = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
        guard tokens.count >= 2, tokens[0] == "#", tokens[1] == "HELP" || tokens[1] == "TYPE" else { return }
        guard tokens.count >= 3 else { throw fail("\(tokens[1]) without a metric name") }
        let name = String(tokens[2])
        guard PrometheusText.isMetricName(name) else { throw fail("invalid metric name '\(name)'") }
        let rest = tokens.count > 3 ? String(tokens[3]) : ""
        let index = try open(name, forMetadata: true)
        if tokens[1] == "HELP" {
            guard families[index].help == nil else { throw fail("second HELP for \(name)") }
            families[index].help = try unescape(rest, quoteAllowed: false)
        } else {
            guard Self.types.contains(rest) else { throw fail("unknown TYPE '\(rest)' for \(name)") }
            guard !declared.contains(name) else { throw fail("second TYPE for \(name)") }
            families[index].type = rest
            declared.insert(name)
        }
    }

    /// Makes `name` the current (last) family and returns its index: started if new, refused if it was closed,
    /// or if metadata arrives after its samples.
    mutating func open(_ name: String, forMetadata: Bool) throws(PrometheusTextError) -> Int {
        if let last = families.last, last.name == name {
            if forMetadata, !last.samples.isEmpty { throw fail("HELP/TYPE for \(name) after its samples") }
            return families.count - 1
        }
        guard !closed.contains(name) else {
            throw fail("\(name) appears again after other families: a family's lines must be together")
        }
        if let last = families.last { closed.insert(last.name) }
        families.append(Family(name: name, type: "untyped", help: nil, samples: []))
        return families.count - 1
    }

    // MARK: - Samples

    mutating func sample(_ line: Substring) throws(PrometheusTextError) {
        var scanner = Scanner(bytes: Array(line.utf8))
        let name = scanner.take { PrometheusText.isLetter($0) || PrometheusText.isDigit($0) || $0 == 95 || $0 == 58 }
        guard PrometheusText.isMetricName(name) else { throw fail("invalid metric name in '\(line)'") }
        var labels: [String: String] = [:]
        if scanner.peek == UInt8(ascii: "{") {
            labels = try self.labels(&scanner)
        }
        guard scanner.skipBlanks() else { throw fail("no space before the value in '\(line)'") }
        let valueText = scanner.take { $0 != 32 && $0 != 9 }
        guard let value = Self.float(valueText) else { throw fail("invalid value '\(valueText)'") }
        if scanner.skipBlanks(), !scanner.atEnd {
            let timestamp = scanner.take { $0 != 32 && $0 != 9 }
            guard Int64(timestamp) != nil else { throw fail("invalid timestamp '\(timestamp)'") }
        }
        scanner.skipBlanks()
        guard scanner.atEnd else { throw fail("trailing characters in '\(line)'") }

        let index = try open(familyName(of: name), forMetadata: false)
        guard !families[index].samples.contains(where: { $0.name == name && $0.labels == labels }) else {
            throw fail("duplicate series \(name)\(labels.sorted { $0.key < $1.key })")
        }
        families[index].samples.append(Sample(name: name, labels: labels, value: value))
    }

    /// The family a sample belongs to: `x` for `x_bucket`/`x_sum`/`x_count` of a declared histogram or summary.
    func familyName(of name: String) -> String {
        guard let current = families.last, current.type == "histogram" || current.type == "summary" else {
            return name
        }
        let suffixes = current.type == "histogram" ? ["_bucket", "_sum", "_count"] : ["_sum", "_count", ""]
        return suffixes.contains { name == current.name + $0 } ? current.name : name
    }

    func labels(_ scanner: inout Scanner) throws(PrometheusTextError) -> [String: String] {
        scanner.advance()  // {
        var labels: [String: String] = [:]
        while true {
            scanner.skipBlanks()
            if scanner.peek == UInt8(ascii: "}") {
                scanner.advance()
                return labels
            }
            let name = scanner.take { PrometheusText.isLetter($0) || PrometheusText.isDigit($0) || $0 == 95 }
            guard PrometheusText.isLabelName(name) else { throw fail("invalid label name '\(name)'") }
            guard !name.hasPrefix("__") else { throw fail("reserved label name '\(name)'") }
            guard labels[name] == nil else { throw fail("duplicate label '\(name)'") }
            scanner.skipBlanks()
            guard scanner.peek == UInt8(ascii: "=") else { throw fail("label \(name) has no =") }
            scanner.advance()
            scanner.skipBlanks()
            guard scanner.peek == UInt8(ascii: "\"") else { throw fail("label \(name) has an unquoted value") }
            scanner.advance()
            var raw: [UInt8] = []
            var closedQuote = false
            while let byte = scanner.next() {
                if byte == UInt8(ascii: "\\") {
                    guard let escaped = scanner.next() else { break }
                    raw += [byte, escaped]
                } else if byte == UInt8(ascii: "\"") {
                    closedQuote = true
                    break
                } else {
                    raw.append(byte)
                }
            }
            guard closedQuote else { throw fail("unterminated value of label \(name)") }
            labels[name] = try unescape(String(decoding: raw, as: UTF8.self), quoteAllowed: true)
            scanner.skipBlanks()
            if scanner.peek == UInt8(ascii: ",") {
                scanner.advance()
            } else if scanner.peek != UInt8(ascii: "}") {
                throw fail("expected , or } after label \(name)")
            }
        }
    }

    /// Resolves `\\`, `\n` (and `\"` in label values); any other escape is an error.
    func unescape(_ text: String, quoteAllowed: Bool) throws(PrometheusTextError) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "\\": result.append("\\")
                case "n": result.append("\n")
                case "\"" where quoteAllowed: result.append("\"")
                default: throw fail("invalid escape \\\(character)")
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        guard !escaping else { throw fail("dangling backslash") }
        return result
    }

    /// A Go `ParseFloat` value: decimal or exponent notation, `NaN`, `+Inf`, `-Inf`.
    static func float(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            let allowed = text.utf8.allSatisfy {
                PrometheusText.isDigit($0) || [43, 45, 46, 69, 101].contains($0)  // + - . E e
            }
            return allowed && !text.isEmpty ? Double(text) : nil
        }
    }
}

extension PrometheusTextParser {
    /// Semantic checks once a family is complete: counters are non-negative; a histogram's series each have
    /// cumulative `_bucket`s with an `le` label ending in `+Inf`, which equals `_count`; summary quantiles are
    /// in [0, 1].
    func check(_ family: Family) throws(PrometheusTextError) {
        func fail(_ message: String) -> PrometheusTextError {
            PrometheusTextError(line: 0, "\(family.name): \(message)")
        }
        switch family.type {
        case "counter":
            for sample in family.samples where !(sample.value >= 0) {
                throw fail("counter value \(sample.value) is negative or NaN")
            }
        case "histogram":
            var series: [[String: String]: [(le: Double, value: Double)]] = [:]
            var counts: [[String: String]: Double] = [:]
            for sample in family.samples {
                switch sample.name {
                case family.name + "_bucket":
                    guard let text = sample.labels["le"], let le = Self.float(text), !le.isNaN else {
                        throw fail("bucket without a numeric le label")
                    }
                    var key = sample.labels
                    key["le"] = nil
                    series[key, default: []].append((le, sample.value))
                case family.name + "_count": counts[sample.labels] = sample.value
                case family.name + "_sum": continue
                default: throw fail("unexpected sample \(sample.name) in a histogram")
                }
            }
            for (labels, buckets) in series {
                let sorted = buckets.sorted { $0.le < $1.le }
                guard zip(sorted, sorted.dropFirst()).allSatisfy({ $0.value <= $1.value }) else {
                    throw fail("buckets of \(labels) are not cumulative")
                }
                guard let last = sorted.last, last.le == .infinity else { throw fail("no +Inf bucket for \(labels)") }
                guard counts[labels] == last.value else { throw fail("_count of \(labels) differs from +Inf bucket") }
            }
        case "summary":
            for sample in family.samples where sample.name == family.name {
                guard let text = sample.labels["quantile"], let q = Self.float(text), (0...1).contains(q) else {
                    throw fail("summary sample without a quantile in [0, 1]")
                }
            }
        default:
            break
        }
    }
}

/// A byte cursor over one line.
struct Scanner {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[index] }

    @discardableResult
    mutating func advance() -> Bool {
        guard !atEnd else { return false }
        index += 1
        return true
    }

    mutating func next() -> UInt8? {
        defer { index += 1 }
        return peek
    }

    /// Takes bytes while `accept` holds.
    mutating func take(while accept: (UInt8) -> Bool) -> String {
        let start = index
        while let byte = peek, accept(byte) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Skips spaces and tabs; true when it skipped any.
    @discardableResult
    mutating func skipBlanks() -> Bool {
        let start = index
        while let byte = peek, byte == 32 || byte == 9 { index += 1 }
        return index > start
    }
}
