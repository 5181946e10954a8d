extension Quota {
    /// Checks that every explicit limit lies in `Quota.validRange`; throws the first that does not.
    public func validate() throws(ValidationError) {
        for resource in QuotaResource.allCases {
            try FieldRules.range(limits[resource], Self.validRange, field: resource.rawValue)
        }
    }
}
