import Foundation
import FulcrumModel

extension Doctor {
    /// libvirt answers at `uri`, as the worker will need it to.
    func libvirtCheck(uri: String, network: NetworkConfig) async -> DoctorCheck {
        switch await libvirt.connect(uri: uri) {
        case .reachable(let summary):
            return DoctorCheck("libvirt", .ok, "\(uri): \(summary)")
        case .unreachable(let reason):
            let fix =
                network.mode == .lab
                ? "start the lab's: `etc/lab up` (or `systemctl start fulcrum-lab`)"
                : "start it (`systemctl start libvirtd`) or `etc/lab up`"
            return DoctorCheck("libvirt", .fail, "\(uri): cannot connect (\(reason)): libvirtd not running? \(fix)")
        }
    }

    /// Each configured subnet's bridge exists where the worker will plug amphorae into it: in this namespace in
    /// host mode, in the lab namespace in lab mode.
    func bridgeChecks(_ config: AppConfig) async -> [DoctorCheck] {
        let lab = config.network.labNamespace
        if config.network.mode == .lab, !network.namespaceExists(lab) {
            return [
                DoctorCheck(
                    "bridges", .fail,
                    "lab namespace \(lab) (/run/netns/\(lab)) does not exist, so neither do its bridges: run "
                        + "`etc/lab up` or `systemctl start fulcrum-lab`")
            ]
        }
        var checks: [DoctorCheck] = []
        var seen: Set<String> = []
        for subnet in config.subnets where seen.insert(subnet.bridge).inserted {
            let bridge = subnet.bridge
            let subject = "\(bridge) (subnet \(subnet.name))"
            switch (await network.interface(bridge, namespace: config.network.bridgeNamespace), config.network.mode) {
            case (.bridge, .lab):
                checks.append(DoctorCheck("bridge", .ok, "\(subject) in namespace \(lab)"))
            case (.bridge, .host):
                checks.append(DoctorCheck("bridge", .ok, "\(subject)"))
            case (.notBridge, _):
                checks.append(
                    DoctorCheck("bridge", .warn, "\(subject) exists but is not a Linux bridge: amphora NICs need one"))
            case (.absent, .lab):
                checks.append(
                    DoctorCheck(
                        "bridge", .fail, "\(subject) does not exist in namespace \(lab): run `etc/lab up`"))
            case (.absent, .host):
                let hint =
                    network.namespaceExists(lab)
                    ? "; namespace \(lab) exists: if this is the lab, set network.mode: lab" : ""
                checks.append(
                    DoctorCheck(
                        "bridge", .fail,
                        "\(subject) does not exist in this namespace (/sys/class/net/\(bridge)): create it or name "
                            + "an existing bridge in subnets.\(subnet.name).bridge\(hint)"))
            case (.notVisible(let reason), _):
                checks.append(
                    DoctorCheck(
                        "bridge", .warn,
                        "\(subject) lives in namespace \(lab) and is not visible from this namespace (\(reason)): "
                            + "run doctor as root"))
            }
        }
        return checks
    }

    /// The wall clock is after this build, and NTP keeps it right (a warning only).
    func clockCheck() async -> DoctorCheck {
        let now = host.now()
        let stamp = now.formatted(.iso8601)
        if let built = host.buildDate(), now < built {
            return DoctorCheck(
                "clock", .fail,
                "system time \(stamp) is before this binary was built (\(built.formatted(.iso8601))): set the clock "
                    + "(certificates issued now would not be valid later)")
        }
        switch await host.timeSync() {
        case .synchronized:
            return DoctorCheck("clock", .ok, "\(stamp), NTP synchronised")
        case .notSynchronized:
            return DoctorCheck(
                "clock", .warn,
                "\(stamp), NTP not synchronised: enable time sync (e.g. `timedatectl set-ntp true`); the amphora "
                    + "certificates and heartbeat timeouts depend on the clock")
        case .unknown(let reason):
            return DoctorCheck("clock", .warn, "\(stamp), NTP state unknown (\(reason))")
        }
    }

    /// The API's TCP port and the health manager's UDP ports are free, or held by that very service.
    func portChecks(_ config: AppConfig) async -> [DoctorCheck] {
        var checks = [
            await portCheck(
                address: "\(config.api.host):\(config.api.port)", transport: .tcp, namespace: nil, owner: .api,
                key: "api.port")
        ]
        for address in config.healthManager.bindAddresses {
            checks.append(
                await portCheck(
                    address: address, transport: .udp, namespace: config.network.bridgeNamespace,
                    owner: .healthManager, key: "health_manager.bind_addresses"))
        }
        return checks
    }

    private func portCheck(
        address: String, transport: Transport, namespace: String?, owner: Role, key: String
    ) async -> DoctorCheck {
        let subject = "\(address)/\(transport.rawValue) (\(owner.executableName))"
        let place = namespace.map { " in namespace \($0)" } ?? ""
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            return DoctorCheck("port", .fail, "\(subject): not a host:port")
        }
        if port == 0 { return DoctorCheck("port", .ok, "\(subject): any free port") }
        let host = String(address[..<colon])
        if let namespace, !network.namespaceExists(namespace) {
            return DoctorCheck("port", .warn, "\(subject): namespace \(namespace) does not exist, cannot look")
        }
        switch await network.boundSockets(port: port, transport: transport, namespace: namespace) {
        case .unknown(let reason):
            return DoctorCheck("port", .warn, "\(subject)\(place): cannot tell whether it is free (\(reason))")
        case .sockets(let sockets):
            guard let holder = sockets.first(where: { Self.overlaps($0.address, host) }) else {
                return DoctorCheck("port", .ok, "\(subject)\(place) free")
            }
            let who = holder.process.map { "\($0)" + (holder.pid.map { " (pid \($0))" } ?? "") }
            // The kernel keeps 15 characters of a command name: fulcrum-health-manager shows as fulcrum-health-.
            if let process = holder.process, process == String(owner.executableName.prefix(15)) {
                return DoctorCheck(
                    "port", .warn, "\(subject)\(place) held by \(who ?? process): that service is already running")
            }
            guard let who else {
                return DoctorCheck(
                    "port", .fail,
                    "\(subject)\(place) in use by a process not visible to this user: run doctor as root to see it, "
                        + "then stop it or change \(key)")
            }
            return DoctorCheck("port", .fail, "\(subject)\(place) in use by \(who): stop it or change \(key)")
        }
    }

    /// Whether a socket bound to `bound` conflicts with binding `wanted` on the same port.
    /// `*` is a dual-stack wildcard, `0.0.0.0` an IPv4 one and `[::]` an IPv6 one (as `ss` shows them).
    static func overlaps(_ bound: String, _ wanted: String) -> Bool {
        let address = bound.split(separator: "%").first.map(String.init) ?? bound
        if address == "*" || address.isEmpty { return true }
        let boundIPv6 = address.hasPrefix("[") || address.contains(":")
        let wantedIPv6 = wanted.contains(":")
        guard boundIPv6 == wantedIPv6 else { return false }
        let wildcards = ["0.0.0.0", "[::]", "::"]
        return wildcards.contains(address) || wildcards.contains(wanted) || address == wanted
            || address == "[\(wanted)]"
    }
}
