public import ArgumentParser

/// `fulcrum`: the operator's command-line tool.
public struct FulcrumCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fulcrum",
        abstract: "Operate Fulcrum, an Octavia-compatible load balancer service.",
        subcommands: [
            DBCommand.self, ConfigCommand.self, DoctorCommand.self, VersionCommand.self, TokenCreateCommand.self,
            LoadBalancerCreate.self, LoadBalancerShow.self, LoadBalancerList.self, LoadBalancerUpdate.self,
            LoadBalancerDelete.self, LoadBalancerStats.self, LoadBalancerStatus.self, LoadBalancerFailover.self,
            ListenerCreate.self, ListenerShow.self, ListenerList.self, ListenerUpdate.self, ListenerDelete.self,
            PoolCreate.self, PoolShow.self, PoolList.self, PoolUpdate.self, PoolDelete.self,
            MemberCreate.self, MemberShow.self, MemberList.self, MemberUpdate.self, MemberDelete.self,
            HealthMonitorCreate.self, HealthMonitorShow.self, HealthMonitorList.self, HealthMonitorUpdate.self,
            HealthMonitorDelete.self, QuotaUpdate.self, QuotaShow.self,
            FloatingIPAssociate.self, FloatingIPDisassociate.self, FloatingIPList.self,
        ]
    )

    /// Parsed by ArgumentParser.
    public init() {}
}

/// `fulcrum version`.
public struct VersionCommand: AsyncParsableCommand {
    /// This build's version.
    public static let version = "0.1.0-dev"

    public static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    /// Parsed by ArgumentParser.
    public init() {}

    public func run() async throws {
        print("fulcrum \(Self.version)")
    }
}

/// `fulcrum config …`.
public struct ConfigCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect the configuration.",
        subcommands: [Show.self]
    )

    /// Parsed by ArgumentParser.
    public init() {}

    /// `fulcrum config show`: the effective configuration (file + environment + flags), secrets redacted.
    public struct Show: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Print the effective configuration as YAML, with secrets redacted.")

        @OptionGroup public var options: RuntimeOptions

        /// Parsed by ArgumentParser.
        public init() {}

        public func run() async throws {
            print(try await render(environment: CommandEnvironment.process), terminator: "")
        }

        /// The text `run()` prints.
        public func render(environment: [String: String]) async throws -> String {
            let config = try await Daemon.loadConfig(options: options, environment: environment, command: "fulcrum")
            return config.renderedYAML()
        }
    }
}
