import NIOCore
import NIOHTTP1

/// HTTP/1.1 pipelining without pausing reads between requests: a request that arrives while another is in
/// flight waits in `queued` and runs when that response has ended. Reads stop only while the queue is full,
/// so the common case (one request at a time) costs no epoll changes per request, unlike
/// `HTTPServerPipelineHandler`, which holds back every read until the response ends.
extension HTTPProxyHandler {
    /// Queued request parts beyond which the client is no longer read.
    static let maxQueued = 256

    /// What waits for the request in flight.
    enum Queued {
        case part(HTTPServerRequestPart)
        /// The decoder failed after the queued parts: answered with 400 once the earlier responses are out.
        case parseError

        /// Starts something that must wait until the response in flight has ended.
        var waitsForResponse: Bool {
            switch self {
            case .part(let part): part.isHead
            case .parseError: true
            }
        }
    }

    func enqueue(_ event: Queued) {
        queued.append(event)
    }

    /// Runs queued requests after a response ended on a keep-alive connection, until one is in flight again.
    func drainQueued() {
        guard !queued.isEmpty || readHeld else { return }
        let wasReading = inClientRead
        inClientRead = true
        var next = 0
        while next < queued.count, !hasFailed {
            let event = queued[next]
            // the rest of the request in flight goes on; the next request (or the parse error) waits for its response
            if isBusy, event.waitsForResponse { break }
            next += 1
            switch event {
            case .part(let part): handle(part)
            case .parseError: failed(parsing: true)
            }
        }
        if next >= queued.count {
            queued.removeAll(keepingCapacity: true)
        } else if next > 0 {
            queued.removeFirst(next)
        }
        inClientRead = wasReading
        if !wasReading { flushUpstream() }
        if readHeld, queued.count < Self.maxQueued, let context {
            readHeld = false
            context.read()
        }
    }

    func read(context: ChannelHandlerContext) {
        if queued.count >= Self.maxQueued {
            readHeld = true
        } else {
            context.read()
        }
    }
}

extension HTTPServerRequestPart {
    var isHead: Bool {
        if case .head = self { return true }
        return false
    }
}
