import NIOCore

/// Collects one HTTP head (start line to the empty line) from reads that may split it anywhere: a head that
/// arrives whole is returned as a slice of the read, without copying; pieces are gathered until the CRLFCRLF.
struct HTTPHeadCollector {
    static let maxHeadBytes = 64 * 1024

    /// Bytes of an incomplete head, kept across reads.
    private(set) var partial: ByteBuffer?
    /// How far `partial` was searched for the empty line.
    private var scanned = 0

    /// Whether any byte of the head has arrived.
    var hasBytes: Bool { partial != nil }

    mutating func reset() {
        partial = nil
        scanned = 0
    }

    /// The whole head once `input` completes it (the head's bytes are consumed from `input`), or nil when more
    /// bytes are needed (all of `input` was consumed). A head over 64 KiB throws `limitError`.
    mutating func collect(
        _ input: inout ByteBuffer, limitError: String
    ) throws(HTTPResponseFramer.Error) -> ByteBuffer? {
        guard input.readableBytes > 0 else { return nil }
        let head: ByteBuffer
        if partial == nil, let end = Self.headEnd(input, from: input.readerIndex) {
            head = input.readSlice(length: end - input.readerIndex)!
        } else {
            if partial == nil { partial = ByteBuffer() }
            let before = partial!.writerIndex
            let take = min(input.readableBytes, Self.maxHeadBytes + 4 - partial!.readableBytes)
            partial!.writeImmutableBuffer(input.getSlice(at: input.readerIndex, length: take)!)
            let searchFrom = max(partial!.readerIndex, scanned - 3)
            guard let end = Self.headEnd(partial!, from: searchFrom) else {
                scanned = partial!.writerIndex
                input.moveReaderIndex(forwardBy: take)
                if partial!.readableBytes > Self.maxHeadBytes { throw HTTPResponseFramer.Error(limitError) }
                return nil
            }
            input.moveReaderIndex(forwardBy: end - before)
            head = partial!.getSlice(at: 0, length: end)!
            reset()
        }
        if head.readableBytes > Self.maxHeadBytes { throw HTTPResponseFramer.Error(limitError) }
        return head
    }

    /// The index just after the first CRLFCRLF at or after `from`, if any.
    static func headEnd(_ buffer: ByteBuffer, from: Int) -> Int? {
        buffer.withUnsafeReadableBytes { bytes -> Int? in
            let start = from - buffer.readerIndex
            guard bytes.count >= 4, start <= bytes.count - 4 else { return nil }
            var index = max(start, 0)
            while index <= bytes.count - 4 {
                // skip to the next LF, then look back for CR and ahead for CRLF
                if bytes[index + 3] != 0x0A {
                    index += bytes[index + 3] == 0x0D ? 1 : 4
                    continue
                }
                if bytes[index] == 0x0D, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x0D {
                    return buffer.readerIndex + index + 4
                }
                index += 1
            }
            return nil
        }
    }
}
