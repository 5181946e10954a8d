public import Foundation

/// `{"id": …}`: how a body links to related objects (`listeners: [{id}]`).
public struct IDRef: Codable, Sendable, Hashable {
    public var id: String

    /// Creates a link.
    public init(_ id: String) { self.id = id }
}

/// Octavia's timestamp text: ISO-8601 in UTC without a zone suffix (`2026-11-27T04:53:34`).
public enum APIDate {
    /// Formats a date.
    public static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// Formats an optional date.
    public static func format(_ date: Date?) -> String? {
        date.map { format($0) }
    }
}

/// Octavia's error body (WSME): `{"faultcode": "Client", "faultstring": "…", "debuginfo": null}`.
public struct FaultBody: Codable, Sendable, Hashable {
    public var faultcode: String
    public var faultstring: String
    public var debuginfo: String?

    /// Creates a fault; `Client` for 4xx, `Server` for 5xx.
    public init(faultcode: String, faultstring: String, debuginfo: String? = nil) {
        self.faultcode = faultcode
        self.faultstring = faultstring
        self.debuginfo = debuginfo
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(faultcode, forKey: .faultcode)
        try container.encode(faultstring, forKey: .faultstring)
        try container.encode(debuginfo, forKey: .debuginfo)
    }
}

/// One `<plural>_links` entry.
public struct PageLink: Codable, Sendable, Hashable {
    public var href: String
    public var rel: String

    /// Creates a link (`next` or `previous`).
    public init(href: String, rel: String) {
        self.href = href
        self.rel = rel
    }
}

/// The task kinds the API enqueues; the worker dispatches flows on them. Each payload is a small JSON
/// object of ids: `{"id": "<object id>"}` plus, where useful, `loadbalancer_id`, `cascade` or `pool_id`.
public enum TaskKind: String, Sendable, Hashable, CaseIterable {
    case loadBalancerCreate = "loadbalancer.create"
    case loadBalancerUpdate = "loadbalancer.update"
    case loadBalancerDelete = "loadbalancer.delete"
    case loadBalancerFailover = "loadbalancer.failover"
    case listenerCreate = "listener.create"
    case listenerUpdate = "listener.update"
    case listenerDelete = "listener.delete"
    case poolCreate = "pool.create"
    case poolUpdate = "pool.update"
    case poolDelete = "pool.delete"
    case memberCreate = "member.create"
    case memberUpdate = "member.update"
    case memberDelete = "member.delete"
    case memberBatchUpdate = "member.batch_update"
    case healthMonitorCreate = "healthmonitor.create"
    case healthMonitorUpdate = "healthmonitor.update"
    case healthMonitorDelete = "healthmonitor.delete"
    case l7PolicyCreate = "l7policy.create"
    case l7PolicyUpdate = "l7policy.update"
    case l7PolicyDelete = "l7policy.delete"
    case l7RuleCreate = "l7rule.create"
    case l7RuleUpdate = "l7rule.update"
    case l7RuleDelete = "l7rule.delete"
    case amphoraFailover = "amphora.failover"
    case amphoraConfig = "amphora.config"
}
