extension LoadBalancer {
    /// Longest `provider` name.
    public static let maxProviderLength = 64

    /// Checks the rules of reference §1.1 that need only this load balancer; throws the first
    /// broken one.
    public func validate() throws(ValidationError) {
        try FieldRules.length(name, field: "name")
        try FieldRules.length(description, field: "description")
        try FieldRules.tags(tags)
        try FieldRules.length(provider, field: "provider", max: Self.maxProviderLength)
        try FieldRules.ipAddress(vipAddress, field: "vip_address")
    }
}
