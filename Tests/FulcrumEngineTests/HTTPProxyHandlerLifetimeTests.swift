import FulcrumWire
import NIOCore
import NIOEmbedded
import Testing

@testable import FulcrumEngine

@Suite("HTTP proxy handler lifetime")
struct HTTPProxyHandlerLifetimeTests {
    @Test("a closed client connection releases its proxy handler (no handler-context cycle)")
    func releasedOnClose() throws {
        let channel = EmbeddedChannel()
        weak var released: HTTPProxyHandler?
        do {
            let config = ListenerConfig(id: "l", protocol: .http, port: 0)
            let listener = ListenerRuntime(settings: ListenerSettings(config: config, cidrs: CIDRSet([]), pool: nil))
            let handler = HTTPProxyHandler(listener: listener, upstreams: UpstreamPool(eventLoop: channel.eventLoop))
            released = handler
            try channel.pipeline.syncOperations.addHandler(handler)
        }
        #expect(released != nil)
        _ = try channel.finish()
        #expect(released == nil)
    }
}
