public import FulcrumWire

/// Why a heartbeat was dropped; each reason is counted (`fulcrum_heartbeat_rejected_total{reason}`).
public enum RejectReason: String, Error, Sendable, CaseIterable, Hashable {
    case tooLarge = "too_large"
    case tooShort = "too_short"
    case badSignature = "bad_signature"
    case badCompression = "bad_compression"
    case badMessage = "bad_message"
    case replayed
    case unknownAmphora = "unknown_amphora"
    case overloaded

    init(_ error: HeartbeatCodecError) {
        switch error {
        case .tooLarge: self = .tooLarge
        case .tooShort: self = .tooShort
        case .badSignature: self = .badSignature
        case .badCompression: self = .badCompression
        case .badMessage: self = .badMessage
        }
    }
}

/// The synchronous front door for datagrams: size limit, HMAC before anything else (inside the
/// codec), decode, then the per-amphora replay window.
public struct HeartbeatIntake: Sendable {
    private let codec: HeartbeatCodec
    private var replayGuard = HeartbeatReplayGuard()

    /// Creates an intake for the deployment's heartbeat key.
    public init(key: String) {
        codec = HeartbeatCodec(key: key)
    }

    /// The message, or why it was refused.
    public mutating func admit(_ datagram: [UInt8]) -> Result<HeartbeatMessage, RejectReason> {
        guard datagram.count <= HeartbeatCodec.maxDatagramSize else { return .failure(.tooLarge) }
        let message: HeartbeatMessage
        do {
            message = try codec.open(datagram)
        } catch {
            return .failure(RejectReason(error))
        }
        guard replayGuard.admit(message) else { return .failure(.replayed) }
        return .success(message)
    }
}
