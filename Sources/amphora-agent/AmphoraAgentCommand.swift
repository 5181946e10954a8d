import ArgumentParser
import FoundationEssentials
import FulcrumAgent
import FulcrumWire
import Logging
import ServiceLifecycle
import UnixSignals

/// `amphora-agent --config FILE`: serve the file's listeners and send heartbeats until SIGTERM/SIGINT.
@main
struct AmphoraAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amphora-agent", abstract: "Fulcrum's in-amphora agent: load balancing engine and heartbeats.")

    @Option(name: .long, help: "JSON file: {\"agent\": {...}, \"amphora\": {...AmphoraConfig...}}")
    var config: String

    @Option(name: .long, help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel: String = "info"

    func run() async throws {
        let file = try AgentConfigFile.parse(Array(try Data(contentsOf: URL(filePath: config))))
        var logger = Logger(label: "fulcrum.amphora-agent")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let api = try file.agent.api.map { api in
            var configuration = AgentAPIConfiguration(
                host: api.host, port: api.port, certificateChainPem: try Self.read(api.certificateChainFile),
                privateKeyPem: try Self.read(api.privateKeyFile), clientCaPem: try Self.read(api.clientCaFile))
            configuration.rotatedCertificateFiles = (api.certificateChainFile, api.privateKeyFile)
            return configuration
        }
        // every applied config is written back to the file: a restarted agent starts from the last one
        let agent = AmphoraAgent(file: file, api: api, logger: logger, configFile: config)
        let group = ServiceGroup(
            configuration: .init(services: [agent], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    private static func read(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(filePath: path)), as: UTF8.self)
    }
}
