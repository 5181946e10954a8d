/// Writes the Prometheus text exposition format (0.0.4) directly, without a metrics registry: the agent keeps no
/// global metrics state, it renders the engine's own counters when asked.
public struct ExpositionWriter: Sendable {
    /// The media type of the text.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// A metric type as `# TYPE` names it.
    public enum MetricType: String, Sendable {
        case counter
        case gauge
    }

    /// One sample: label pairs (in order) and a value.
    public struct Sample: Sendable {
        /// Label names and values; names must be valid Prometheus label names.
        public var labels: [(String, String)]
        /// The value.
        public var value: UInt64

        /// Creates a sample.
        public init(_ labels: [(String, String)], _ value: UInt64) {
            self.labels = labels
            self.value = value
        }
    }

    /// The text written so far.
    public private(set) var text = ""

    /// An empty exposition.
    public init() {}

    /// Writes one family: `# HELP`, `# TYPE`, then its samples. A family without samples still gets its
    /// metadata, so scrapers see the family before the first listener exists.
    public mutating func family(_ name: String, _ type: MetricType, help: String, _ samples: [Sample]) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(type.rawValue)\n"
        for sample in samples {
            text += name
            if !sample.labels.isEmpty {
                text += "{" + sample.labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
            }
            text += " \(sample.value)\n"
        }
    }

    /// A label value with `\`, `"` and newlines escaped.
    static func escapeLabel(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// HELP text with `\` and newlines escaped.
    static func escapeHelp(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
