import Foundation

extension L7Policy {
    /// Checks every rule of reference §1.6 that needs only this policy; throws the first broken
    /// one. Each action takes exactly its own redirect field; call `normalized()` first to drop
    /// stale fields left by an action change, as Octavia's repository does.
    public func validate() throws(ValidationError) {
        try FieldRules.length(name, field: "name")
        try FieldRules.length(description, field: "description")
        try FieldRules.tags(tags)
        try validateRedirectFields()
        if let redirectHTTPCode {
            guard action == .redirectToURL || action == .redirectPrefix else {
                throw ValidationError(
                    field: "redirect_http_code",
                    "redirect_http_code is only valid for REDIRECT_TO_URL and REDIRECT_PREFIX policies."
                )
            }
            guard Limits.redirectHTTPCodes.contains(redirectHTTPCode) else {
                throw ValidationError(
                    field: "redirect_http_code",
                    "Value: '\(redirectHTTPCode)'. Value should be one of 301, 302, 303, 307, 308"
                )
            }
        }
        try FieldRules.range(position, 1...Limits.maxPosition, field: "position")
    }

    /// The policy with the redirect fields its action does not use cleared, and
    /// `redirect_http_code` defaulted to 302 for URL/prefix redirects.
    public func normalized() -> L7Policy {
        var copy = self
        if action != .redirectToPool { copy.redirectPoolID = nil }
        if action != .redirectToURL { copy.redirectURL = nil }
        if action != .redirectPrefix { copy.redirectPrefix = nil }
        if action == .redirectToURL || action == .redirectPrefix {
            copy.redirectHTTPCode = redirectHTTPCode ?? Limits.defaultRedirectHTTPCode
        } else {
            copy.redirectHTTPCode = nil
        }
        return copy
    }

    private func validateRedirectFields() throws(ValidationError) {
        let required: (field: String, value: String?)? =
            switch action {
            case .reject: nil
            case .redirectToPool: ("redirect_pool_id", redirectPoolID)
            case .redirectToURL: ("redirect_url", redirectURL)
            case .redirectPrefix: ("redirect_prefix", redirectPrefix)
            }
        if let required, required.value?.isEmpty ?? true {
            throw ValidationError(
                field: required.field,
                "Invalid L7 Policy arguments: \(required.field) must not be None for action \(action.rawValue)"
            )
        }
        let present: [(String, String?)] = [
            ("redirect_pool_id", redirectPoolID), ("redirect_url", redirectURL), ("redirect_prefix", redirectPrefix),
        ]
        for (field, value) in present where value != nil && field != required?.field {
            throw ValidationError(
                field: field,
                "Invalid L7 Policy arguments: \(field) is not valid for action \(action.rawValue)"
            )
        }
        if let redirectURL { try Self.checkURL(redirectURL, field: "redirect_url") }
        if let redirectPrefix { try Self.checkURL(redirectPrefix, field: "redirect_prefix") }
    }

    /// Throws unless `text` is a well-formed http or https URL with a host.
    static func checkURL(_ text: String, field: String) throws(ValidationError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            let host = components.host, !host.isEmpty
        else {
            throw ValidationError(field: field, "Value: '\(text)'. Supplied URL must be a well-formed URL")
        }
        guard ["http", "https"].contains(scheme.lowercased()) else {
            throw ValidationError(field: field, "Value: '\(text)'. URL scheme not one of http, https")
        }
    }
}
