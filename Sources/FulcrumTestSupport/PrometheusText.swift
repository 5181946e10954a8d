/// A Prometheus text exposition (format 0.0.4), parsed strictly so that tests can both check the format every
/// `/metrics` endpoint emits and read values out of it.
///
/// Checked: `# HELP` / `# TYPE` syntax and placement (before the family's samples, at most once each), metric and
/// label name character sets, label-value escapes (`\\`, `\"`, `\n` only), float values and optional integer
/// timestamps, samples of one family kept together, no duplicate series, a final newline, non-negative counters,
/// and histogram shape (`_bucket` series with `le`, cumulative, a `+Inf` bucket equal to `_count`).
public struct PrometheusText: Sendable {
    /// One sample line.
    public struct Sample: Sendable, Hashable {
        /// The sample's name as written (`x_bucket`, `x_sum`, … for histograms).
        public var name: String
        /// Its labels.
        public var labels: [String: String]
        /// Its value.
        public var value: Double
    }

    /// A metric family: its metadata and every sample that belongs to it.
    public struct Family: Sendable {
        /// The family's name (a histogram's name without `_bucket`/`_sum`/`_count`).
        public var name: String
        /// `counter`, `gauge`, `histogram`, `summary` or `untyped`.
        public var type: String
        /// The `# HELP` text, unescaped.
        public var help: String?
        /// Samples in the order written.
        public var samples: [Sample]
    }

    /// Families in the order they appear.
    public private(set) var families: [Family]

    /// Parses `text`; throws the first violation with its line number.
    public init(parsing text: String) throws(PrometheusTextError) {
        var parser = PrometheusTextParser(text)
        families = try parser.parse()
    }

    /// The family named `name`.
    public func family(_ name: String) -> Family? { families.first { $0.name == name } }

    /// The value of the sample `name` whose labels are exactly `labels`.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        for family in families {
            if let sample = family.samples.first(where: { $0.name == name && $0.labels == labels }) {
                return sample.value
            }
        }
        return nil
    }

    /// The sum of every sample `name` whose labels include `labels` (nil when there is none).
    public func sum(_ name: String, matching labels: [String: String] = [:]) -> Double? {
        let matching = families.flatMap(\.samples).filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }
        return matching.isEmpty ? nil : matching.reduce(0) { $0 + $1.value }
    }

    /// Whether `name` is a valid metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
    public static func isMetricName(_ name: some StringProtocol) -> Bool {
        guard let first = name.utf8.first, isLetter(first) || first == u("_") || first == u(":") else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == u("_") || $0 == u(":") }
    }

    /// Whether `name` is a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`).
    public static func isLabelName(_ name: some StringProtocol) -> Bool {
        guard let first = name.utf8.first, isLetter(first) || first == u("_") else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == u("_") }
    }

    static func isLetter(_ byte: UInt8) -> Bool { (u("a")...u("z")).contains(byte) || (u("A")...u("Z")).contains(byte) }
    static func isDigit(_ byte: UInt8) -> Bool { (u("0")...u("9")).contains(byte) }
    static func u(_ character: Unicode.Scalar) -> UInt8 { UInt8(ascii: character) }
}

/// A violation of the exposition format, with the 1-based line it was found on (0: the text as a whole).
public struct PrometheusTextError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The line number.
    public var line: Int
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
