public import FulcrumWire

/// The amphora-agent stand-in for flow tests: records applied configurations, answers `info`
/// for known amphorae, and can be told to be unreachable.
public actor RecordingAmphoraDriver: AmphoraDriver {
    /// Configurations applied, per amphora, in order.
    public private(set) var applied: [String: [AmphoraConfig]] = [:]
    /// Certificates pushed by rotation, per amphora, in order.
    public private(set) var rotations: [String: [CertificateRotation]] = [:]
    private var unreachable: Set<String> = []

    /// Creates the stand-in.
    public init() {}

    /// Makes `amphoraID` unreachable (or reachable again).
    public func setUnreachable(_ amphoraID: String, _ value: Bool = true) {
        if value { unreachable.insert(amphoraID) } else { unreachable.remove(amphoraID) }
    }

    public func info(_ endpoint: AgentEndpoint) throws -> AgentInfo {
        try check(endpoint)
        return AgentInfo(
            amphoraId: endpoint.amphoraID, agentVersion: "stand-in", apiVersion: "1",
            generation: applied[endpoint.amphoraID]?.last?.generation ?? 0, bootId: "stand-in")
    }

    public func apply(_ config: AmphoraConfig, to endpoint: AgentEndpoint) throws -> ApplyResult {
        try check(endpoint)
        applied[endpoint.amphoraID, default: []].append(config)
        return ApplyResult(generation: config.generation, applied: true, message: "OK")
    }

    public func stats(_ endpoint: AgentEndpoint) throws -> AgentStats {
        try check(endpoint)
        return AgentStats(listeners: [:], members: [:])
    }

    public func rotateCertificate(_ rotation: CertificateRotation, at endpoint: AgentEndpoint) throws {
        try check(endpoint)
        rotations[endpoint.amphoraID, default: []].append(rotation)
    }

    private func check(_ endpoint: AgentEndpoint) throws {
        if unreachable.contains(endpoint.amphoraID) {
            throw AmphoraDriverError(.unreachable, endpoint, "stand-in told to be unreachable")
        }
    }
}
