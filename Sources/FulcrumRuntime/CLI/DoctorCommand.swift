public import ArgumentParser
import Foundation

/// `fulcrum doctor`: checks the configuration, database, amphora image, libvirt, bridges, clock and ports, one line
/// each (OK / WARN / FAIL with what to fix); exit status 1 when any check fails.
public struct DoctorCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that this host can run Fulcrum; exit status 1 if any check fails.")

    @OptionGroup public var options: RuntimeOptions

    /// The environment file the systemd units read (secrets usually live there).
    @Option(
        help: ArgumentHelp(
            "Environment file the units read, for FULCRUM_* settings (read when it exists; the process "
                + "environment wins).", valueName: "path"))
    public var envFile = "/etc/fulcrum/fulcrum.env"

    /// Parsed by ArgumentParser.
    public init() {}

    public func run() async throws {
        let report = await report(environment: CommandEnvironment.process, doctor: .system())
        print(report.lines.joined(separator: "\n"))
        if report.hasFailures { throw ExitCode(ExitStatus.databaseNotReady) }
    }

    /// Loads the configuration the way the daemons do (plus `--env-file`) and runs `doctor`'s checks; a
    /// configuration that does not load is the one failed check.
    public func report(environment: [String: String], doctor: Doctor) async -> DoctorReport {
        var environment = environment
        var notes: [String] = []
        if FileManager.default.fileExists(atPath: envFile) {
            if let data = FileManager.default.contents(atPath: envFile) {
                let values = EnvironmentFile.parse(String(decoding: data, as: UTF8.self))
                environment.merge(values.filter { $0.key.hasPrefix("FULCRUM_") }) { current, _ in current }
                notes.append("+ \(envFile)")
            } else {
                notes.append("(\(envFile) is not readable: settings in it are not seen)")
            }
        }
        let file = AppConfig.resolvedConfigPath(
            options.config, environment: environment, defaultPath: AppConfig.defaultConfigPath)
        let source = ([file ?? "built-in defaults (no configuration file)"] + notes).joined(separator: " ")
        do {
            let config = try await options.loadConfig(environment: environment)
            return await doctor.run(config: config, source: source)
        } catch {
            return DoctorReport(checks: [DoctorCheck("config", .fail, "\(source): \(error)")])
        }
    }
}
