public import ArgumentParser

/// Options every Fulcrum command shares: where the configuration is and how loud to log.
public struct RuntimeOptions: ParsableArguments, Sendable {
    /// `--config PATH`.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Configuration file (YAML, or JSON if it ends in .json). Default: $FULCRUM_CONFIG, else "
                + "/etc/fulcrum/fulcrum.yaml if it exists, else built-in defaults.",
            valueName: "path"))
    public var config: String?

    /// `--log-level LEVEL`, overriding `logging.level`.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Log level (trace, debug, info, notice, warning, error, critical); overrides logging.level.",
            valueName: "level"))
    public var logLevel: String?

    /// No options set.
    public init() {}

    /// Loads the configuration these options point at; flags win over `environment`, which wins over the file.
    ///
    /// - Throws: `ConfigError`.
    public func loadConfig(environment: [String: String]) async throws -> AppConfig {
        var overrides: [String: String] = [:]
        if let logLevel { overrides["logging.level"] = logLevel }
        return try await AppConfig.load(configPath: config, environment: environment, overrides: overrides)
    }
}
