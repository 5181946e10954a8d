import Configuration
import Foundation

extension AppConfig {
    /// The file read when neither `--config` nor `FULCRUM_CONFIG` names one (skipped if it does not exist).
    public static let defaultConfigPath = "/etc/fulcrum/fulcrum.yaml"
    /// Environment variable naming the configuration file when `--config` is not given.
    public static let configPathVariable = "FULCRUM_CONFIG"

    /// Loads and validates the configuration. Precedence, highest first: `overrides` (command-line flags,
    /// keyed by dotted key), environment variables (`FULCRUM_API_PORT` for `api.port`), the file, defaults.
    ///
    /// The file is `configPath`, else `$FULCRUM_CONFIG`, else `defaultPath` if that file exists; a `.json` file
    /// is read as JSON, anything else as YAML. A file named explicitly must exist.
    ///
    /// - Throws: `ConfigError` naming the first bad key.
    public static func load(
        configPath: String?,
        environment: [String: String],
        overrides: [String: String] = [:],
        defaultPath: String = AppConfig.defaultConfigPath
    ) async throws -> AppConfig {
        var providers: [any ConfigProvider] = []
        if !overrides.isEmpty {
            let values = Dictionary(
                uniqueKeysWithValues: overrides.map { key, value in
                    (
                        AbsoluteConfigKey(key.split(separator: ".").map(String.init)),
                        ConfigValue(.string(value), isSecret: false)
                    )
                }
            )
            providers.append(InMemoryProvider(name: "command line", values: values))
        }
        providers.append(EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: ["fulcrum"]))
        if let path = resolvedConfigPath(configPath, environment: environment, defaultPath: defaultPath) {
            if let file = try await fileProvider(path: path) { providers.append(file) }
        }
        let source = ConfigSource(reader: ConfigReader(providers: providers), environment: environment)
        return try await AppConfig(reading: source)
    }

    /// The configuration file to read, or `nil` to run on defaults and environment variables only.
    static func resolvedConfigPath(
        _ configPath: String?, environment: [String: String], defaultPath: String
    )
        -> String?
    {
        if let configPath, !configPath.isEmpty { return configPath }
        if let fromEnvironment = environment[configPathVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        return FileManager.default.fileExists(atPath: defaultPath) ? defaultPath : nil
    }

    /// A provider for the file at `path`, or `nil` when the file holds nothing but blank lines and comments.
    static func fileProvider(path: String) async throws -> (any ConfigProvider)? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ConfigError(.unreadableFile, key: path, "configuration file does not exist")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ConfigError(.unreadableFile, key: path, "configuration file is not readable")
        }
        if let contents = FileManager.default.contents(atPath: path), isBlankOrComments(contents) { return nil }
        // FileProvider takes a swift-system FilePath; handing it the path through a reader keeps SystemPackage
        // out of this module's imports.
        let pathReader = ConfigReader(
            provider: InMemoryProvider(values: ["filePath": ConfigValue(.string(path), isSecret: false)])
        )
        do {
            if path.lowercased().hasSuffix(".json") {
                return try await FileProvider<JSONSnapshot>(config: pathReader)
            }
            return try await FileProvider<YAMLSnapshot>(config: pathReader)
        } catch {
            let detail = String(describing: error)
            let hint =
                detail.contains("non-scalar value in array")
                ? " (lists may hold only plain values; subnets are a `names` list plus one mapping per name)" : ""
            throw ConfigError(.unreadableFile, key: path, "cannot be parsed: \(detail)\(hint)")
        }
    }

    private static func isBlankOrComments(_ contents: Data) -> Bool {
        String(decoding: contents, as: UTF8.self).split(whereSeparator: \.isNewline).allSatisfy { line in
            let trimmed = String(line).trimmingSpaces
            return trimmed.isEmpty || trimmed.hasPrefix("#")
        }
    }
}
