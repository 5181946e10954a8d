import NIOCore

/// HTTP/1.1 pipelining without pausing reads between requests: bytes of a request that arrives while another
/// is in flight stay unframed in `input` and are framed when that response has ended. Reads stop only while
/// `input` holds more than ``maxBuffered`` bytes, so the common case (one request at a time) costs no epoll
/// changes per request, unlike `HTTPServerPipelineHandler`, which holds back every read until the response ends.
extension HTTPProxyHandler {
    /// Unframed client bytes beyond which the client is no longer read.
    static let maxBuffered = 256 * 1024

    /// Adds bytes read from the client to those not framed yet.
    func buffer(_ bytes: ByteBuffer) {
        if input.readableBytes == 0 {
            input = bytes
        } else {
            input.writeImmutableBuffer(bytes)
        }
    }

    /// Frames and handles client bytes until a request must wait for the response in flight, more bytes are
    /// needed, or the connection failed. Re-entered from a handler it calls (a request answered at once), it
    /// returns: the outer loop goes on.
    func drive() {
        guard !driving else { return }
        driving = true
        let wasReading = inClientRead
        inClientRead = true
        while !hasFailed {
            // the next request waits for the response in flight (HTTP/1.1 pipelining)
            if isBusy, framer.awaitsHead { break }
            let event: HTTPRequestFramer.Event?
            do {
                event = try framer.next(&input)
            } catch {
                listener.counters.requestError()
                failed(parsing: true)
                break
            }
            guard let event else { break }
            handle(event)
        }
        if clientInputClosed { clientEnded() }
        if input.readableBytes == 0 {
            // an empty slice would keep the read buffer alive, and NIO would allocate a new one for every read
            input = Self.noBytes
        }
        driving = false
        inClientRead = wasReading
        if !wasReading { flushUpstream() }
        if readHeld, input.readableBytes < Self.maxBuffered, let context {
            readHeld = false
            context.read()
        }
    }

    /// The client closed its side: the requests it completed are answered first, then the connection closes; an
    /// incomplete one is refused with 400 (what NIOHTTP1's decoder did at EOF).
    private func clientEnded() {
        guard !hasFailed, let context else { return }
        if isDiscarding {
            context.close(promise: nil)
        } else if framer.isPartial {
            listener.counters.requestError()
            failed(parsing: true)
        } else if !isBusy {
            context.close(promise: nil)
        }
    }

    func read(context: ChannelHandlerContext) {
        if input.readableBytes >= Self.maxBuffered {
            readHeld = true
        } else {
            context.read()
        }
    }
}
