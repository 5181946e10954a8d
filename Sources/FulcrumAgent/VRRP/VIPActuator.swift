import Synchronization

/// The VIP as the amphora holds it: address, prefix length and interface.
public struct VIPAssignment: Sendable, Hashable {
    /// The VIP (numeric).
    public var address: String
    /// Prefix length of the VIP subnet.
    public var prefixLength: Int
    /// Interface on the VIP subnet.
    public var interface: String

    /// Creates an assignment.
    public init(address: String, prefixLength: Int, interface: String) {
        self.address = address
        self.prefixLength = prefixLength
        self.interface = interface
    }
}

/// The port through which a ``VIPOwner`` changes host networking. Every call is idempotent: adding a VIP that is
/// present or removing one that is absent succeeds.
public protocol VIPActuator: Sendable {
    /// Adds the VIP to its interface.
    func addVIP(_ vip: VIPAssignment) async throws
    /// Removes the VIP from its interface.
    func removeVIP(_ vip: VIPAssignment) async throws
    /// Sends one gratuitous ARP for the VIP, so neighbours and switches learn its new place.
    func sendGratuitousARP(_ vip: VIPAssignment) async throws
}

/// The stand-in: records every call and tracks which VIPs it holds; no host networking.
public final class RecordingVIPActuator: VIPActuator {
    /// One call.
    public enum Call: Sendable, Hashable {
        /// `addVIP(address)`.
        case add(String)
        /// `removeVIP(address)`.
        case remove(String)
        /// `sendGratuitousARP(address)`.
        case gratuitousARP(String)
    }

    private let state = Mutex<(calls: [Call], held: Set<String>)>(([], []))

    /// Creates an actuator holding nothing.
    public init() {}

    /// Every call so far, in order.
    public var calls: [Call] { state.withLock { $0.calls } }

    /// Whether `address` is held now.
    public func holds(_ address: String) -> Bool { state.withLock { $0.held.contains(address) } }

    public func addVIP(_ vip: VIPAssignment) async throws {
        state.withLock {
            $0.calls.append(.add(vip.address))
            $0.held.insert(vip.address)
        }
    }

    public func removeVIP(_ vip: VIPAssignment) async throws {
        state.withLock {
            $0.calls.append(.remove(vip.address))
            $0.held.remove(vip.address)
        }
    }

    public func sendGratuitousARP(_ vip: VIPAssignment) async throws {
        state.withLock { $0.calls.append(.gratuitousARP(vip.address)) }
    }
}
