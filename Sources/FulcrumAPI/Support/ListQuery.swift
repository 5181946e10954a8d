import Foundation
import FulcrumAPITypes

/// Octavia's list behaviour over already-scoped objects (reference §2): filtering by any top-level attribute
/// and by tags, sorting, marker/limit paging with `<plural>_links`, and `fields=` selection.
///
/// It runs in memory over `ResourceStore.resources(kind, query:)`: the store returns a project's objects and
/// this type does the rest. That is fine at LBaaS scale (objects per project are bounded by quota) and keeps
/// SQL out of the API; a store-side implementation can replace it behind the same interface.
struct ListQuery {
    static let maxLimit = 1000
    static let reserved: Set<String> = [
        "limit", "marker", "page_reverse", "sort", "sort_key", "sort_dir", "fields",
        "tags", "tags-any", "not-tags", "not-tags-any",
    ]

    let parameters: QueryParameters
    /// Attributes that may be filtered and sorted on.
    let attributes: Set<String>
    /// Filter names Octavia accepts for a relation list, e.g. `loadbalancer_id` → `loadbalancers` on listeners.
    var aliases: [String: String] = [:]

    struct Page {
        var items: [JSONValue]
        var links: [PageLink]
    }

    /// Filters, sorts, pages and selects `objects`; `baseURL` is the collection's URL for the links.
    func apply(to objects: [JSONValue], baseURL: String) throws -> Page {
        let filtered = try filter(objects)
        let keys = try sortKeys()
        let sorted = filtered.sorted { lhs, rhs in
            for (key, ascending) in keys {
                let order = Self.compare(lhs[key] ?? .null, rhs[key] ?? .null)
                if order != 0 { return ascending ? order < 0 : order > 0 }
            }
            return false
        }
        let (page, links) = try paginate(sorted, baseURL: baseURL)
        return Page(items: select(page), links: links)
    }

    // MARK: filtering

    func filter(_ objects: [JSONValue]) throws -> [JSONValue] {
        var filters: [(String, String)] = []
        for (given, value) in parameters.pairs where !Self.reserved.contains(given) {
            let name = aliases[given] ?? given
            guard attributes.contains(name) else { throw APIError.badRequest("Invalid filter argument: \(given)") }
            filters.append((name, value))
        }
        let tagsAll = Set(parameters.all("tags"))
        let tagsAny = Set(parameters.all("tags-any"))
        let notTags = Set(parameters.all("not-tags"))
        let notTagsAny = Set(parameters.all("not-tags-any"))
        return objects.filter { object in
            for (name, value) in filters {
                guard let actual = object[name], Self.matches(actual, value) else { return false }
            }
            let tags = Set((object["tags"]?.arrayValue ?? []).compactMap(\.stringValue))
            if !tagsAll.isEmpty, !tagsAll.isSubset(of: tags) { return false }
            if !tagsAny.isEmpty, tagsAny.isDisjoint(with: tags) { return false }
            if !notTags.isEmpty, notTags.isSubset(of: tags) { return false }
            if !notTagsAny.isEmpty, !notTagsAny.isDisjoint(with: tags) { return false }
            return true
        }
    }

    static func matches(_ actual: JSONValue, _ wanted: String) -> Bool {
        switch actual {
        case .bool(let value): return value == (["true", "1", "yes"].contains(wanted.lowercased()))
        case .null: return wanted.isEmpty || wanted.lowercased() == "none" || wanted.lowercased() == "null"
        case .array(let values): return values.contains { $0.queryText == wanted || $0["id"]?.stringValue == wanted }
        default: return actual.queryText == wanted
        }
    }

    // MARK: sorting

    func sortKeys() throws -> [(String, Bool)] {
        var keys: [(String, Bool)] = []
        if let sort = parameters["sort"] {
            for item in sort.split(separator: ",") {
                let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
                keys.append((parts[0], try Self.direction(parts.count > 1 ? parts[1] : "asc")))
            }
        } else {
            let names = parameters.all("sort_key")
            let directions = parameters.all("sort_dir")
            for (index, name) in names.enumerated() {
                keys.append((name, try Self.direction(index < directions.count ? directions[index] : "asc")))
            }
            if names.isEmpty, !directions.isEmpty {
                throw APIError.badRequest("sort_dir requires sort_key.")
            }
        }
        for (key, _) in keys where !attributes.contains(key) {
            throw APIError.badRequest("Invalid sort key: \(key)")
        }
        let named = Set(keys.map(\.0))
        for tieBreaker in ["created_at", "id"] where !named.contains(tieBreaker) && attributes.contains(tieBreaker) {
            keys.append((tieBreaker, true))
        }
        return keys
    }

    static func direction(_ text: String) throws -> Bool {
        switch text.lowercased() {
        case "asc": return true
        case "desc": return false
        default: throw APIError.badRequest("Invalid sort direction: \(text)")
        }
    }

    /// -1, 0 or 1; `null` sorts first.
    static func compare(_ lhs: JSONValue, _ rhs: JSONValue) -> Int {
        switch (lhs, rhs) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.int(let a), .int(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (!a ? -1 : 1)
        default:
            let a = lhs.queryText ?? "", b = rhs.queryText ?? ""
            return a == b ? 0 : (a < b ? -1 : 1)
        }
    }

    // MARK: paging

    func limit() throws -> Int? {
        guard let text = parameters["limit"] else { return nil }
        if text.lowercased() == "infinite" { return nil }
        guard let value = Int(text) else { throw APIError.badRequest("Invalid limit: \(text)") }
        return value < 1 ? nil : min(value, Self.maxLimit)
    }

    func paginate(_ sorted: [JSONValue], baseURL: String) throws -> ([JSONValue], [PageLink]) {
        let limit = try limit()
        let reverse = parameters.flag("page_reverse")
        var start = 0
        var end = sorted.count
        let marker = parameters["marker"]
        if let marker {
            guard let index = sorted.firstIndex(where: { $0["id"]?.stringValue == marker }) else {
                throw APIError.badRequest("Invalid marker: \(marker) not found.")
            }
            if reverse { end = index } else { start = index + 1 }
        }
        if let limit {
            if reverse { start = max(start, end - limit) } else { end = min(end, start + limit) }
        }
        let page = Array(sorted[start..<end])
        var links: [PageLink] = []
        guard let limit else { return (page, links) }
        if let last = page.last?["id"]?.stringValue, reverse ? marker != nil : page.count == limit {
            links.append(PageLink(href: href(baseURL, limit: limit, marker: last, reverse: false), rel: "next"))
        }
        if let first = page.first?["id"]?.stringValue, reverse ? start > 0 : marker != nil {
            links.append(PageLink(href: href(baseURL, limit: limit, marker: first, reverse: true), rel: "previous"))
        }
        return (page, links)
    }

    func href(_ baseURL: String, limit: Int, marker: String, reverse: Bool) -> String {
        var items = ["limit=\(limit)"]
        if let sort = parameters["sort"] { items.append("sort=\(Self.escape(sort))") }
        for key in parameters.all("sort_key") { items.append("sort_key=\(Self.escape(key))") }
        for dir in parameters.all("sort_dir") { items.append("sort_dir=\(Self.escape(dir))") }
        items.append("marker=\(Self.escape(marker))")
        if reverse { items.append("page_reverse=True") }
        return baseURL + "?" + items.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? text
    }

    // MARK: fields

    func select(_ page: [JSONValue]) -> [JSONValue] {
        let fields = Set(parameters.all("fields"))
        guard !fields.isEmpty else { return page }
        return page.map { object in
            .object((object.objectValue ?? [:]).filter { fields.contains($0.key) })
        }
    }

    /// `fields=` applied to one object.
    static func select(_ object: JSONValue, parameters: QueryParameters) -> JSONValue {
        let fields = Set(parameters.all("fields"))
        guard !fields.isEmpty else { return object }
        return .object((object.objectValue ?? [:]).filter { fields.contains($0.key) })
    }
}
