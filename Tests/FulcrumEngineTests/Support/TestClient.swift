import NIOCore
import NIOPosix
import NIOSSL

/// A parsed HTTP response.
struct TestResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: String

    var firstLine: String { String(body.split(separator: "\n").first ?? "") }

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

/// A raw TCP client connection for tests: send bytes, read HTTP responses (content-length bodies) or lines.
final class TestConnection {
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var buffer = ByteBuffer()

    init(outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, inbound: NIOAsyncChannelInboundStream<ByteBuffer>) {
        self.outbound = outbound
        self.inbound = inbound.makeAsyncIterator()
    }

    func send(_ text: String) async throws { try await outbound.write(ByteBuffer(string: text)) }
    func send(bytes: [UInt8]) async throws { try await outbound.write(ByteBuffer(bytes: bytes)) }

    /// Shuts the client's output (half-close).
    func finish() { outbound.finish() }

    /// Reads more bytes; false at EOF.
    private func fill() async throws -> Bool {
        guard var more = try await inbound.next() else { return false }
        buffer.writeBuffer(&more)
        return true
    }

    /// One line without its newline, or nil at EOF.
    func readLine() async throws -> String? {
        while true {
            let view = buffer.readableBytesView
            if let newline = view.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer.readString(length: newline - view.startIndex + 1)!
                return String(line.dropLast())
            }
            if try await !fill() { return nil }
        }
    }

    /// Reads the rest until EOF.
    func readToEnd() async throws -> String {
        while try await fill() {}
        return buffer.readString(length: buffer.readableBytes) ?? ""
    }

    /// The next response, or nil when the connection closed first.
    func readResponse() async throws -> TestResponse? {
        guard let statusLine = try await readLine() else { return nil }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var headers: [(String, String)] = []
        while let line = try await readLine() {
            let trimmed = line.hasSuffix("\r") ? String(line.dropLast()) : line
            if trimmed.isEmpty { break }
            if let colon = trimmed.firstIndex(of: ":") {
                headers.append(
                    (String(trimmed[..<colon]), trimmed[trimmed.index(after: colon)...].trimmingPrefix(" ").description)
                )
            }
        }
        let length = Int(headers.first { $0.0.lowercased() == "content-length" }?.1 ?? "0") ?? 0
        while buffer.readableBytes < length {
            if try await !fill() { return nil }
        }
        return TestResponse(status: status, headers: headers, body: buffer.readString(length: length) ?? "")
    }

    /// Sends a GET and reads its response.
    func get(_ path: String = "/", headers: [String] = [], close: Bool = false) async throws -> TestResponse? {
        var request = "GET \(path) HTTP/1.1\r\nHost: test\r\n"
        for header in headers { request += header + "\r\n" }
        if close { request += "Connection: close\r\n" }
        try await send(request + "\r\n")
        return try await readResponse()
    }
}

/// Runs `body` on a connection to 127.0.0.1:`port`, then closes it.
func withConnection<T: Sendable>(
    host: String = "127.0.0.1", port: Int, tls: NIOSSLContext? = nil, _ body: (TestConnection) async throws -> T
) async throws -> T {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .channelOption(.allowRemoteHalfClosure, value: true)
        .connect(host: host, port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: tls, serverHostname: nil))
                }
                return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                    wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        try await body(TestConnection(outbound: outbound, inbound: inbound))
    }
}

/// One GET on a fresh connection.
func fetch(port: Int, _ path: String = "/", headers: [String] = []) async throws -> TestResponse? {
    try await withConnection(port: port) { try await $0.get(path, headers: headers, close: true) }
}
