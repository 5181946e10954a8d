import NIOPosix

/// The real ``VIPActuator``: busybox `ip` and `arping` inside the amphora, run with `posix_spawn` on NIO's thread
/// pool. `ip addr add VIP/PREFIX dev IFACE`, `ip addr del VIP/PREFIX dev IFACE`, `arping -U -c 1 -I IFACE VIP`.
public struct IPCommandActuator: VIPActuator {
    /// Where the commands are.
    public struct Configuration: Sendable, Hashable {
        /// The `ip` command (busybox applet in the image).
        public var ipPath: String
        /// The `arping` command (busybox applet in the image).
        public var arpingPath: String

        /// Creates a configuration; the defaults are the amphora image's paths.
        public init(ipPath: String = "/bin/ip", arpingPath: String = "/bin/arping") {
            self.ipPath = ipPath
            self.arpingPath = arpingPath
        }
    }

    /// `ip` says so when the address is already there (EEXIST).
    static let alreadyPresent = ["File exists"]
    /// `ip` says so when the address is not there (EADDRNOTAVAIL: glibc and musl wording).
    static let notPresent = ["Cannot assign requested address", "Address not available"]

    private let configuration: Configuration

    /// Creates an actuator.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    public func addVIP(_ vip: VIPAssignment) async throws {
        try await run(
            configuration.ipPath, ["addr", "add", "\(vip.address)/\(vip.prefixLength)", "dev", vip.interface],
            alsoSuccess: Self.alreadyPresent)
    }

    public func removeVIP(_ vip: VIPAssignment) async throws {
        try await run(
            configuration.ipPath, ["addr", "del", "\(vip.address)/\(vip.prefixLength)", "dev", vip.interface],
            alsoSuccess: Self.notPresent)
    }

    public func sendGratuitousARP(_ vip: VIPAssignment) async throws {
        try await run(configuration.arpingPath, ["-U", "-c", "1", "-I", vip.interface, vip.address], alsoSuccess: [])
    }

    /// Runs the command; exit status 0, or a failure whose output contains one of `alsoSuccess`, succeeds.
    private func run(_ path: String, _ arguments: [String], alsoSuccess: [String]) async throws {
        let outcome = try await NIOThreadPool.singleton.runIfActive { try ChildProcess.run(path, arguments) }
        guard outcome.status != 0, !alsoSuccess.contains(where: { outcome.output.contains($0) }) else { return }
        throw AgentError(
            .commandFailed,
            "\(([path] + arguments).joined(separator: " ")) exited \(outcome.status): \(outcome.output)")
    }
}
