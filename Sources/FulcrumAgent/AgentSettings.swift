public import FulcrumWire

extension AgentConfigFile {
    /// Parses and validates the file's bytes.
    public static func parse(_ bytes: [UInt8]) throws -> AgentConfigFile {
        let file = try WireJSON.decode(AgentConfigFile.self, from: bytes)
        guard file.amphora.version == AmphoraConfig.currentVersion else {
            throw AgentError(.invalidConfig, "unsupported amphora config version \(file.amphora.version)")
        }
        for controller in file.agent.controllers where ControllerAddress(controller) == nil {
            throw AgentError(.invalidConfig, "controller \(controller) is not ip:port")
        }
        guard file.agent.heartbeatIntervalMs > 0, file.agent.eventLoops > 0 else {
            throw AgentError(.invalidConfig, "heartbeat_interval_ms and event_loops must be positive")
        }
        guard file.agent.drainTimeoutMs >= 0 else {
            throw AgentError(.invalidConfig, "drain_timeout_ms must not be negative")
        }
        _ = try VIPOwner.Settings(file.amphora)
        return file
    }
}

/// The agent's errors.
public struct AgentError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value { case invalidConfig, commandFailed, socketFailed }
        private let value: Value
        /// The config file or document is not usable.
        public static let invalidConfig = Code(value: .invalidConfig)
        /// A host command (`ip`, `arping`) could not run or failed.
        public static let commandFailed = Code(value: .commandFailed)
        /// The VRRP advert socket could not be opened or bound.
        public static let socketFailed = Code(value: .socketFailed)
        public var description: String { "\(value)" }
    }

    /// The kind.
    public var code: Code
    /// Detail.
    public var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// `ip:port` or `[ipv6]:port`.
struct ControllerAddress: Sendable, Hashable {
    var host: String
    var port: Int

    init?(_ text: String) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()) else { return nil }
            self.port = port
        } else {
            let parts = text.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]) else { return nil }
            host = String(parts[0])
            self.port = port
        }
        guard (1...65535).contains(port) else { return nil }
    }
}
