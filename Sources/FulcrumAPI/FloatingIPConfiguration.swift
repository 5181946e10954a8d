public import FulcrumModel

/// What the floating-IP routes accept (`floating_ips.*` of the runtime's configuration).
public struct FloatingIPConfiguration: Sendable, Hashable {
    /// An `address:port` Fulcrum listens on itself.
    public struct Endpoint: Sendable, Hashable {
        /// The address; `0.0.0.0` stands for every address.
        public var address: IPv4Address
        /// The TCP port.
        public var port: Int

        /// Creates an endpoint.
        public init(address: IPv4Address, port: Int) {
            self.address = address
            self.port = port
        }
    }

    /// Networks a floating address must be in (`floating_ips.allowed_cidrs`).
    public var allowedNetworks: [IPv4Network]
    /// Endpoints Fulcrum listens on itself (the API's own): a floating IP there is refused with 409.
    public var reservedEndpoints: [Endpoint]

    /// Loopback only (`127.0.0.0/8`), nothing reserved.
    public init(allowedNetworks: [IPv4Network] = [IPv4Network("127.0.0.0/8")!], reservedEndpoints: [Endpoint] = []) {
        self.allowedNetworks = allowedNetworks
        self.reservedEndpoints = reservedEndpoints
    }

    /// Whether `floatingIP` would listen where Fulcrum itself does.
    func isReserved(_ floatingIP: FloatingIP) -> Bool {
        reservedEndpoints.contains { reserved in
            reserved.port == floatingIP.floatingPort
                && (reserved.address.rawValue == 0 || reserved.address == floatingIP.floatingAddress)
        }
    }
}
