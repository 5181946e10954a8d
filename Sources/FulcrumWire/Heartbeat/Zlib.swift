import CFulcrumZlib

/// zlib streams through the system libz, the same library Python's `zlib` module uses on Debian,
/// so `deflate(level: 9)` yields the bytes of `zlib.compress(data, 9)`.
enum Zlib {
    /// `zlib.compress(bytes, level)`: deflateInit2(level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY).
    static func deflate(_ input: [UInt8], level: Int32 = 9) -> [UInt8] {
        var bound = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(bound))
        let status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                compress2(target.baseAddress, &bound, source.baseAddress, uLong(source.count), level)
            }
        }
        precondition(status == Z_OK, "compress2 cannot fail with a compressBound-sized buffer")
        output.removeSubrange(Int(bound)...)
        return output
    }

    /// Inflates a zlib stream, refusing output larger than `limit` bytes and trailing garbage.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let input = Array(input)
        return input.withUnsafeBufferPointer { source -> [UInt8]? in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { target -> Int32 in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    return CFulcrumZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[..<produced])
                if output.count > limit { return nil }
                switch status {
                case Z_STREAM_END: return stream.avail_in == 0 ? output : nil
                case Z_OK: if produced == 0 && stream.avail_in == 0 { return nil }
                default: return nil
                }
            }
        }
    }
}
