import FulcrumModel
import FulcrumSQLite

/// `fulcrum doctor`: checks that a host can run Fulcrum with a given configuration and says what to fix. Every
/// outside system is reached through a probe, so the checks themselves are plain functions of the configuration
/// and the probes' answers.
public struct Doctor: Sendable {
    /// Reads the database's migrations.
    public var schema: any SchemaProbe
    /// Connects to libvirt.
    public var libvirt: any LibvirtProbe
    /// Files and clocks.
    public var host: any HostProbe
    /// Namespaces, interfaces and sockets.
    public var network: any NetworkProbe
    /// The migrations this build knows, oldest first.
    public var knownMigrations: [String]

    /// Creates a doctor from its probes; `knownMigrations` defaults to this build's.
    public init(
        schema: any SchemaProbe, libvirt: any LibvirtProbe, host: any HostProbe, network: any NetworkProbe,
        knownMigrations: [String]? = nil
    ) {
        self.schema = schema
        self.libvirt = libvirt
        self.host = host
        self.network = network
        self.knownMigrations = knownMigrations ?? FulcrumDatabase.knownMigrations
    }

    /// Runs every check against `config`, which was loaded from `source` (a description such as the file path).
    public func run(config: AppConfig, source: String) async -> DoctorReport {
        var checks = [configCheck(config, source: source)]
        checks.append(await databaseCheck(config.database))
        checks.append(imageCheck(directory: config.amphora.imageDirectory))
        for uri in config.amphora.libvirtURIs {
            checks.append(await libvirtCheck(uri: uri, network: config.network))
        }
        checks += await bridgeChecks(config)
        checks.append(await clockCheck())
        checks += await portChecks(config)
        return DoctorReport(checks: checks)
    }

    /// The configuration loaded; now: is it enough for every role?
    func configCheck(_ config: AppConfig, source: String) -> DoctorCheck {
        var problems: [String] = []
        for role in Role.allCases {
            do {
                try config.validate(for: role)
            } catch {
                let variable = ConfigSource.environmentVariableName(
                    for: error.key.split(separator: ".").map(String.init))
                problems.append("\(role.executableName): \(error); set it in the file or as \(variable)")
            }
        }
        let management = config.amphora.managementSubnet
        if !config.subnets.contains(where: { $0.name == management || $0.id == management }) {
            problems.append(
                "amphora.management_subnet '\(management)' is not a configured subnet (add it under subnets)")
        }
        guard problems.isEmpty else {
            return DoctorCheck("config", .fail, "\(source): " + problems.joined(separator: "; "))
        }
        let mode =
            config.network.mode == .lab
            ? "lab mode (namespace \(config.network.labNamespace))" : "host mode"
        return DoctorCheck("config", .ok, "\(source): valid for every role; \(mode)")
    }
}
