import FulcrumAPITypes
import FulcrumStore
import Hummingbird

/// Providers (`amphora`, alias `octavia`) and the read-only, empty flavor and availability-zone catalogs.
struct CatalogController {
    let support: ControllerSupport

    static let providers = [
        ProviderBody(name: "amphora", description: "The Fulcrum amphora driver."),
        ProviderBody(name: "octavia", description: "Deprecated alias of the amphora driver."),
    ]

    /// Path, list key, links key, resource name.
    static let emptyCatalogs: [(String, String, String, String)] = [
        ("lbaas/flavors", "flavors", "flavors_links", "Flavor"),
        ("lbaas/flavorprofiles", "flavorprofiles", "flavorprofile_links", "Flavor profile"),
        ("lbaas/availabilityzones", "availability_zones", "availability_zones_links", "Availability zone"),
        (
            "lbaas/availabilityzoneprofiles", "availability_zone_profiles", "availability_zone_profile_links",
            "Availability zone profile"
        ),
    ]

    func register(on group: Routes) {
        group.get("lbaas/providers") { request, context in
            _ = try context.caller()
            let objects = Self.providers.map { provider -> JSONValue in
                .object(["name": .string(provider.name), "description": .string(provider.description)])
            }
            return try support.list(
                "providers", objects: objects, attributes: ["name", "description"], request: request)
        }
        for capability in ["flavor_capabilities", "availability_zone_capabilities"] {
            group.get("lbaas/providers/:provider/\(capability)") { request, context in
                _ = try context.caller()
                let name = try support.id(context, "provider")
                guard Self.providers.contains(where: { $0.name == name }) else {
                    throw APIError.notFound("Provider \(name) not found.")
                }
                return try Reply.json(.object([capability: .array([])]))
            }
        }
        for (path, listKey, linksKey, name) in Self.emptyCatalogs {
            group.get(path) { request, context in
                _ = try context.caller()
                return try support.list(
                    listKey, objects: [], attributes: ["id", "name"], request: request, linksKey: linksKey)
            }
            group.get(path + "/:id") { _, context -> Response in
                _ = try context.caller()
                throw APIError.notFound("\(name) \(try support.id(context)) not found.")
            }
        }
    }
}
