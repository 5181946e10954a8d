import FulcrumAPITypes
import FulcrumModel

/// The built-in flavors: one per topology, so `openstack loadbalancer create --flavor active-standby`
/// picks ACTIVE_STANDBY per load balancer (Octavia's flavor profile key `loadbalancer_topology`).
/// Fulcrum has no flavor CRUD; the ids are fixed so clients and scripts may store them.
struct FlavorCatalog: Sendable {
    struct Flavor: Sendable {
        let id: String
        let name: String
        let description: String
        let profileID: String
        let topology: Topology

        /// The profile's `flavor_data`, a JSON string as Octavia stores it.
        var flavorData: String { #"{"loadbalancer_topology": "\#(topology.rawValue)"}"# }

        var body: JSONValue {
            .object([
                "id": .string(id), "name": .string(name), "description": .string(description), "enabled": .bool(true),
                "flavor_profile_id": .string(profileID),
            ])
        }

        var profileBody: JSONValue {
            .object([
                "id": .string(profileID), "name": .string(name), "provider_name": .string("amphora"),
                "flavor_data": .string(flavorData),
            ])
        }
    }

    static let flavors = [
        Flavor(
            id: "5f0b2a4c-6d1e-4f57-9b0a-3c1d2e4f6a01", name: "single",
            description: "One STANDALONE amphora per load balancer.",
            profileID: "7a3c9e21-4b8d-4c6f-a1e2-5d0f3b7c9e01", topology: .single),
        Flavor(
            id: "5f0b2a4c-6d1e-4f57-9b0a-3c1d2e4f6a02", name: "active-standby",
            description: "An ACTIVE_STANDBY amphora pair that moves the VIP on failure.",
            profileID: "7a3c9e21-4b8d-4c6f-a1e2-5d0f3b7c9e02", topology: .activeStandby),
    ]

    /// The flavor with this id (or, for convenience, name).
    static func flavor(_ idOrName: String) -> Flavor? {
        flavors.first { $0.id == idOrName || $0.name == idOrName }
    }
}
