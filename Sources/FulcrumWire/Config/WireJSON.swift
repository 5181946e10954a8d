public import FoundationEssentials

/// The JSON coders of the wire contract: explicit snake_case coding keys, sorted output.
public enum WireJSON {
    /// An encoder for wire documents.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// A decoder for wire documents.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        return decoder
    }

    /// Encodes a wire document to bytes.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        Array(try encoder().encode(value))
    }

    /// Decodes a wire document from bytes.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Sequence<UInt8>) throws -> T {
        try decoder().decode(type, from: Data(bytes))
    }
}
