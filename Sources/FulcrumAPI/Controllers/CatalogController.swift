import FulcrumAPITypes
import FulcrumStore
import Hummingbird

/// Providers (`amphora`, alias `octavia`), the read-only built-in flavors (``FlavorCatalog``) and the
/// read-only, empty availability-zone catalogs.
struct CatalogController {
    let support: ControllerSupport

    static let providers = [
        ProviderBody(name: "amphora", description: "The Fulcrum amphora driver."),
        ProviderBody(name: "octavia", description: "Deprecated alias of the amphora driver."),
    ]

    /// Path, list key, links key, resource name.
    static let emptyCatalogs: [(String, String, String, String)] = [
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
        registerFlavors(on: group)
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

    private func registerFlavors(on group: Routes) {
        let flavors = FlavorCatalog.flavors
        let catalogs: [(String, String, String, String, [(id: String, body: JSONValue)])] = [
            ("lbaas/flavors", "flavors", "flavors_links", "Flavor", flavors.map { ($0.id, $0.body) }),
            (
                "lbaas/flavorprofiles", "flavorprofiles", "flavorprofile_links", "Flavor profile",
                flavors.map { ($0.profileID, $0.profileBody) }
            ),
        ]
        for (path, listKey, linksKey, name, entries) in catalogs {
            let attributes = entries.first?.body.objectValue.map { Array($0.keys).sorted() } ?? []
            group.get(path) { request, context in
                _ = try context.caller()
                return try support.list(
                    listKey, objects: entries.map(\.body), attributes: attributes, request: request, linksKey: linksKey)
            }
            group.get(path + "/:id") { request, context -> Response in
                _ = try context.caller()
                let wanted = try support.id(context)
                guard let entry = entries.first(where: { $0.id == wanted }) else {
                    throw APIError.notFound("\(name) \(wanted) not found.")
                }
                return try support.show(String(listKey.dropLast()), entry.body, request: request)
            }
        }
    }
}
