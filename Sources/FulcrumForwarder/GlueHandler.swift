import NIOCore

/// One half of a pair splicing a floating-IP connection to its VIP connection with back-pressure: a side reads
/// only while its partner is writable, a half-close is forwarded as an output close, and closing one side closes
/// the other. Both channels must be on the same event loop.
///
/// Each channel gets its handler when it is created, before it is active, and the two are paired later (`join`),
/// once the upstream has connected. Until then a handler holds what arrives: with `autoRead` off nothing is read,
/// except that NIO drains the input when it sees an EOF (a client that sends and half-closes at once), and those
/// bytes and the EOF are replayed to the partner on pairing.
///
/// This is the connect-proxy pattern of swift-nio-examples, which `FulcrumEngine`'s `GlueHandler` also uses. It
/// is repeated rather than shared because the data plane shares only `FulcrumWire` with the control plane
/// (DESIGN.md §3), and this one has the hold-until-paired state and no byte counting or idle timeout.
final class GlueHandler {
    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    /// Bytes and an EOF that arrived before pairing.
    private var held: [NIOAny] = []
    private var heldEOF = false

    init() {}

    /// Pairs the handlers of `client` and `upstream` (on the same event loop, called on it), replays what each
    /// held, and turns reading on; when either channel is already closed both are closed instead.
    static func join(_ client: any Channel, _ upstream: any Channel) throws {
        client.eventLoop.preconditionInEventLoop()
        precondition(client.eventLoop === upstream.eventLoop, "glued channels must share an event loop")
        guard client.isActive, upstream.isActive else {
            client.close(promise: nil)
            upstream.close(promise: nil)
            return
        }
        do {
            let clientSide = try client.pipeline.syncOperations.handler(type: GlueHandler.self)
            let upstreamSide = try upstream.pipeline.syncOperations.handler(type: GlueHandler.self)
            clientSide.partner = upstreamSide
            upstreamSide.partner = clientSide
            clientSide.replayHeld()
            upstreamSide.replayHeld()
            try upstream.syncOptions?.setOption(.autoRead, value: true)
            try client.syncOptions?.setOption(.autoRead, value: true)
        } catch {
            client.close(promise: nil)
            upstream.close(promise: nil)
            throw error
        }
    }

    private func replayHeld() {
        guard let partner else { return }
        if !held.isEmpty {
            for data in held { partner.partnerWrite(data) }
            held = []
            partner.partnerFlush()
        }
        if heldEOF {
            heldEOF = false
            partner.partnerWriteEOF()
        }
    }

    private func partnerWrite(_ data: NIOAny) { context?.write(data, promise: nil) }
    private func partnerFlush() { context?.flush() }
    private func partnerWriteEOF() { context?.close(mode: .output, promise: nil) }
    private func partnerCloseFull() { context?.close(promise: nil) }

    private func partnerBecameWritable() {
        if pendingRead {
            pendingRead = false
            context?.read()
        }
    }

    private var partnerWritable: Bool { context?.channel.isWritable ?? false }
}

extension GlueHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let partner {
            partner.partnerWrite(data)
        } else {
            held.append(data)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.partnerFlush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.partnerCloseFull()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            if let partner {
                partner.partnerWriteEOF()
            } else {
                heldEOF = true
            }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        partner?.partnerCloseFull()
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            partner?.partnerBecameWritable()
        }
    }

    func read(context: ChannelHandlerContext) {
        if let partner, partner.partnerWritable {
            context.read()
        } else {
            pendingRead = true
        }
    }
}
