import Foundation
import FulcrumAPITypes

/// The OpenAPI 3.1 document served at `/openapi.json`, generated from the routes the controllers registered
/// (`RouteCatalog`), so it lists exactly what the router serves under `/v2` (and, identically, `/v2.0`).
enum OpenAPIDocument {
    /// Octavia's success status of an operation (reference §2).
    static func successStatus(_ route: RouteEntry) -> Int {
        switch route.method {
        case "POST": return 201
        case "DELETE": return route.path.hasPrefix("lbaas/quotas") ? 202 : 204
        case "PUT":
            let accepted =
                route.path.hasSuffix("/failover") || route.path.hasSuffix("/config")
                || route.path.hasPrefix("lbaas/quotas") || route.path == "lbaas/pools/:id/members"
            return accepted ? 202 : 200
        default: return 200
        }
    }

    static let schemas: [String: [String]] = [
        "LoadBalancer": LoadBalancerBody.attributeNames, "Listener": ListenerBody.attributeNames,
        "Pool": PoolBody.attributeNames, "Member": MemberBody.attributeNames,
        "HealthMonitor": HealthMonitorBody.attributeNames, "L7Policy": L7PolicyBody.attributeNames,
        "L7Rule": L7RuleBody.attributeNames, "Quota": QuotaBody.attributeNames, "Amphora": AmphoraBody.attributeNames,
        "Subnet": SubnetBody.attributeNames, "Network": NetworkBody.attributeNames,
        "FloatingIP": FloatingIPBody.attributeNames,
    ]

    static func document(_ routes: [RouteEntry]) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for route in routes {
            let template =
                "/"
                + route.path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                .joined(separator: "/")
            let parameters = route.path.split(separator: "/").filter { $0.hasPrefix(":") }.map { name -> JSONValue in
                .object([
                    "name": .string(String(name.dropFirst())), "in": .string("path"), "required": .bool(true),
                    "schema": .object(["type": .string("string")]),
                ])
            }
            let status = successStatus(route)
            let responses: [String: JSONValue] = [
                String(status): .object(["description": .string(status == 204 ? "No content" : "Success")]),
                "default": .object([
                    "description": .string("Octavia fault (400, 401, 403, 404, 409, 413, 501)"),
                    "content": .object([
                        "application/json": .object(["schema": .object(["$ref": .string("#/components/schemas/Fault")])]
                        )
                    ]),
                ]),
            ]
            var operation: [String: JSONValue] = [
                "operationId": .string(route.method.lowercased() + template.replacingOccurrences(of: "/", with: "_")),
                "responses": .object(responses),
            ]
            if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
            if route.method == "POST" || route.method == "PUT" {
                operation["requestBody"] = .object([
                    "content": .object(["application/json": .object(["schema": .object(["type": .string("object")])])])
                ])
            }
            paths[template, default: [:]][route.method.lowercased()] = .object(operation)
        }
        var schemaObjects: [String: JSONValue] = [
            "Fault": .object([
                "type": .string("object"),
                "properties": .object([
                    "faultcode": .object(["type": .string("string")]),
                    "faultstring": .object(["type": .string("string")]), "debuginfo": .object([:]),
                ]),
                "required": .array([.string("faultcode"), .string("faultstring")]),
            ])
        ]
        for (name, attributes) in schemas {
            schemaObjects[name] = .object([
                "type": .string("object"),
                "properties": .object(Dictionary(uniqueKeysWithValues: attributes.map { ($0, JSONValue.object([:])) })),
            ])
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("Fulcrum load-balancer API (OpenStack Octavia v2 compatible)"),
                "version": .string("2.\(VersionsBody.maxMinor)"),
            ]),
            "servers": .array([.object(["url": .string("/v2")]), .object(["url": .string("/v2.0")])]),
            "security": .array([.object(["token": .array([])])]),
            "components": .object([
                "securitySchemes": .object([
                    "token": .object([
                        "type": .string("apiKey"), "in": .string("header"), "name": .string("X-Auth-Token"),
                    ])
                ]),
                "schemas": .object(schemaObjects),
            ]),
            "paths": .object(paths.mapValues { JSONValue.object($0) }),
        ])
    }
}
