/// A request the provider cannot serve although it is valid (Octavia's
/// `ProviderUnsupportedOptionError`, an HTTP 501 at the API rather than a 400).
public struct UnsupportedOptionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The provider that refuses the option (e.g. `amphora`).
    public var provider: String
    /// The attribute in API spelling, if one is to blame.
    public var field: String?
    /// A message fit for an API client.
    public var message: String

    /// Creates an unsupported-option error.
    public init(provider: String, field: String? = nil, _ message: String) {
        self.provider = provider
        self.field = field
        self.message = message
    }

    /// Octavia's wording: "Provider 'amphora' does not support a requested option: …".
    public var description: String {
        "Provider '\(provider)' does not support a requested option: \(message)"
    }
}
