import Hummingbird

/// Fulcrum has no identity service: project ids are used as given. Identity look-ups that clients make
/// through the same endpoint (`openstack loadbalancer quota set PROJECT` resolves PROJECT via Keystone) get
/// 403, on which python-openstackclient falls back to using the name as the project id.
struct IdentityController {
    func register(on router: Router<APIRequestContext>) {
        for path in ["projects", "projects/:id", "v3/projects", "v3/projects/:id"] {
            router.get(RouterPath(path)) { _, context -> Response in
                _ = try context.caller()
                throw APIError.forbidden("Fulcrum has no identity service; project ids are used as given.")
            }
        }
    }
}
