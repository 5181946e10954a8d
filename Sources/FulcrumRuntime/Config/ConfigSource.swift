import Configuration

/// Typed, key-naming reads over a swift-configuration `ConfigReader`. Every failure becomes a `ConfigError`
/// that names the dotted key and, when the value came from the environment, the variable.
struct ConfigSource: Sendable {
    let reader: ConfigReader
    let environment: [String: String]

    /// `FULCRUM_` + the key's components upper-cased, with every character that is not a letter or a digit
    /// (dots between components, dashes and underscores inside them) replaced by `_`. This is what
    /// swift-configuration's `EnvironmentVariablesProvider` looks up for the key prefixed with `fulcrum`.
    static func environmentVariableName(for key: [String]) -> String {
        (["fulcrum"] + key)
            .map { component in
                String(component.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
            }
            .joined(separator: "_")
    }

    func dotted(_ key: [String]) -> String { key.joined(separator: ".") }

    func error(_ code: ConfigError.Code, _ key: [String], _ message: String) -> ConfigError {
        let variable = Self.environmentVariableName(for: key)
        return ConfigError(
            code,
            key: dotted(key),
            message,
            environmentVariable: environment[variable] == nil ? nil : variable
        )
    }

    /// A scalar as text; JSON numbers and booleans are accepted and rendered as text.
    func string(_ key: [String], isSecret: Bool = false) async throws -> String? {
        let configKey = ConfigKey(key)
        do {
            return try await reader.fetchString(forKey: configKey, isSecret: isSecret)
        } catch {
            if let int = try? await reader.fetchInt(forKey: configKey, isSecret: isSecret) { return String(int) }
            if let double = try? await reader.fetchDouble(forKey: configKey, isSecret: isSecret) {
                return String(double)
            }
            if let bool = try? await reader.fetchBool(forKey: configKey, isSecret: isSecret) { return String(bool) }
            throw self.error(.invalidValue, key, "is not a single value (a list or a mapping was given)")
        }
    }

    /// A required, non-empty scalar.
    func requiredString(_ key: [String]) async throws -> String {
        guard let value = try await string(key), !value.isEmpty else {
            throw error(.missingValue, key, "is required")
        }
        return value
    }

    /// An integer; a quoted number is accepted.
    func int(_ key: [String]) async throws -> Int? {
        do {
            return try await reader.fetchInt(forKey: ConfigKey(key))
        } catch {
            let raw = try? await string(key)
            if let raw, let value = Int(raw.trimmingSpaces) { return value }
            throw self.error(.invalidValue, key, "\(raw.map { "'\($0)'" } ?? "the value") is not an integer")
        }
    }

    /// An integer in `range`, or `defaultValue` when absent.
    func int(_ key: [String], default defaultValue: Int, in range: ClosedRange<Int>) async throws -> Int {
        guard let value = try await int(key) else { return defaultValue }
        guard range.contains(value) else {
            throw error(.invalidValue, key, "\(value) is out of range (\(range.lowerBound)...\(range.upperBound))")
        }
        return value
    }

    /// An integer of at least `minimum`, or `defaultValue` when absent.
    func int(_ key: [String], default defaultValue: Int, atLeast minimum: Int) async throws -> Int {
        guard let value = try await int(key) else { return defaultValue }
        guard value >= minimum else {
            throw error(.invalidValue, key, "\(value) is too small (at least \(minimum))")
        }
        return value
    }

    /// A list of scalars (a YAML/JSON list, or a comma-separated environment variable); a single scalar is a
    /// one-element list. Empty elements are dropped.
    func stringArray(_ key: [String]) async throws -> [String]? {
        let values: [String]?
        do {
            values = try await reader.fetchStringArray(forKey: ConfigKey(key))
        } catch {
            guard let single = try? await string(key) else {
                throw self.error(.invalidValue, key, "is not a list of values")
            }
            values = [single]
        }
        return values?.map(\.trimmingSpaces).filter { !$0.isEmpty }
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
