import FulcrumModel

extension AppConfig {
    /// Subnets are `subnets.names` (a list) plus one mapping per name, because swift-configuration's YAML
    /// reader does not support lists of mappings:
    ///
    ///     subnets:
    ///       names: [private-subnet]
    ///       private-subnet: {cidr: 198.51.100.0/24, gateway: 198.51.100.1, bridge: fulcrum-private}
    static func readSubnets(_ source: ConfigSource) async throws -> [Subnet] {
        let namesKey = ["subnets", "names"]
        let names = try await source.stringArray(namesKey) ?? []
        var subnets: [Subnet] = []
        for name in names {
            guard isValidSubnetName(name) else {
                throw source.error(
                    .invalidValue, namesKey,
                    "'\(name)' is not a subnet name (letters, digits, '-' and '_'; not 'names')")
            }
            guard !subnets.contains(where: { $0.name == name }) else {
                throw source.error(.invalidValue, namesKey, "'\(name)' is listed twice")
            }
            let subnet = try await readSubnet(named: name, source)
            if let clash = subnets.first(where: { $0.cidr.overlaps(subnet.cidr) }) {
                throw source.error(
                    .invalidValue, ["subnets", name, "cidr"],
                    "\(subnet.cidr) overlaps subnet \(clash.name) (\(clash.cidr))")
            }
            subnets.append(subnet)
        }
        return subnets
    }

    private static func readSubnet(named name: String, _ source: ConfigSource) async throws -> Subnet {
        let base = ["subnets", name]
        let cidrText = try await source.requiredString(base + ["cidr"])
        guard let cidr = IPv4Network(cidrText) else {
            throw source.error(.invalidValue, base + ["cidr"], "'\(cidrText)' is not an IPv4 CIDR (a.b.c.d/n)")
        }
        let gateway = try await address(base + ["gateway"], source)
        let start = try await address(base + ["allocation_start"], source)
        let end = try await address(base + ["allocation_end"], source)
        let bridge = try await source.requiredString(base + ["bridge"])
        guard bridge.utf8.count <= 15, !bridge.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw source.error(
                .invalidValue, base + ["bridge"], "'\(bridge)' is not an interface name (at most 15 characters)")
        }
        let subnet = Subnet(
            name: name, cidr: cidr, gateway: gateway, allocationStart: start, allocationEnd: end, bridge: bridge)
        let problems = subnet.problems()
        guard problems.isEmpty else {
            throw source.error(.invalidValue, base, problems.joined(separator: "; "))
        }
        return subnet
    }

    private static func address(_ key: [String], _ source: ConfigSource) async throws -> IPv4Address? {
        guard let text = try await source.string(key), !text.isEmpty else { return nil }
        guard let address = IPv4Address(text) else {
            throw source.error(.invalidValue, key, "'\(text)' is not an IPv4 address")
        }
        return address
    }

    static func isValidSubnetName(_ name: String) -> Bool {
        !name.isEmpty && name != "names"
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                        || scalar == "-" || scalar == "_")
            }
    }
}

extension IPv4Network {
    func overlaps(_ other: IPv4Network) -> Bool {
        contains(other.networkAddress) || other.contains(networkAddress)
    }
}
