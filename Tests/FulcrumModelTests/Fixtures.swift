import FulcrumModel
import Testing

/// One row of a validation table: a named edit of a valid value and the field it should
/// blame (`nil` when the edit keeps the value valid).
struct EditCase<Value>: Sendable, CustomTestStringConvertible {
    let name: String
    let field: String?
    let edit: @Sendable (inout Value) -> Void

    /// A case that must stay valid.
    static func valid(_ name: String, _ edit: @escaping @Sendable (inout Value) -> Void) -> Self {
        Self(name: name, field: nil, edit: edit)
    }

    /// A case that must fail, blaming `field`.
    static func invalid(_ name: String, field: String, _ edit: @escaping @Sendable (inout Value) -> Void) -> Self {
        Self(name: name, field: field, edit: edit)
    }

    var testDescription: String { field.map { "\(name) → \($0)" } ?? "\(name) (valid)" }

    /// Applies the edit to `base`.
    func applied(to base: Value) -> Value {
        var value = base
        edit(&value)
        return value
    }
}

/// Asserts that `check` passes when `field` is nil, or throws a `ValidationError` blaming
/// `field` otherwise.
func expectValidation(
    field: String?,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ check: () throws(ValidationError) -> Void
) {
    do {
        try check()
        #expect(field == nil, "expected an error on \(field ?? "")", sourceLocation: sourceLocation)
    } catch {
        #expect(field != nil, "unexpected error: \(error)", sourceLocation: sourceLocation)
        #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    }
}

enum Fixtures {
    static func listener(_ proto: ListenerProtocol = .http, port: Int = 80) -> Listener {
        var listener = Listener(id: "l1", projectID: "p", loadBalancerID: "lb1", protocol: proto, protocolPort: port)
        if proto == .terminatedHTTPS { listener.defaultTLSContainerRef = "cert" }
        return listener
    }

    static func pool(_ proto: PoolProtocol = .http, lb: String = "lb1") -> Pool {
        Pool(id: "pool1", projectID: "p", loadBalancerID: lb, protocol: proto, lbAlgorithm: .roundRobin)
    }

    static func member() -> Member {
        Member(id: "m1", projectID: "p", poolID: "pool1", address: "10.0.0.5", protocolPort: 8080)
    }

    static func monitor(_ type: HealthMonitorType = .http) -> HealthMonitor {
        HealthMonitor(id: "hm1", projectID: "p", poolID: "pool1", type: type, delay: 5, timeout: 3, maxRetries: 3)
    }

    static func policy(_ action: L7PolicyAction = .reject) -> L7Policy {
        L7Policy(id: "pol1", projectID: "p", listenerID: "l1", action: action)
    }

    static func rule(
        _ type: L7RuleType = .path, _ compare: L7CompareType = .startsWith, key: String? = nil, value: String = "/api"
    )
        -> L7Rule
    {
        L7Rule(id: "r1", projectID: "p", l7PolicyID: "pol1", type: type, compareType: compare, key: key, value: value)
    }

    static let long256 = String(repeating: "x", count: 256)
    static let long255 = String(repeating: "x", count: 255)
}
