/// Parses `ss -H -l -n -p` output into bound sockets.
enum SocketListing {
    /// Lines look like `UNCONN 0 0 203.0.113.1:5555 0.0.0.0:* users:(("fulcrum-health-",pid=812,fd=9))`; the
    /// `users:` part is absent when the owner is not visible to this user.
    static func parse(_ output: String, port: Int) -> [BoundSocket] {
        var sockets: [BoundSocket] = []
        for line in output.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count >= 5 else { continue }
            let local = fields[3]
            guard let colon = local.lastIndex(of: ":"), Int(local[local.index(after: colon)...]) == port else {
                continue
            }
            var socket = BoundSocket(address: String(local[..<colon]), port: port)
            if let users = fields.dropFirst(5).first(where: { $0.hasPrefix("users:") }) {
                (socket.process, socket.pid) = owner(String(users))
            }
            sockets.append(socket)
        }
        return sockets
    }

    /// The first owner in `users:(("name",pid=N,fd=M),…)`.
    static func owner(_ users: String) -> (process: String?, pid: Int?) {
        let parts = users.split(separator: "\"", omittingEmptySubsequences: false)
        let name = parts.count >= 3 ? String(parts[1]) : nil
        guard let range = users.firstRange(of: "pid=") else { return (name, nil) }
        let digits = users[range.upperBound...].prefix { $0.isNumber }
        return (name, Int(digits))
    }
}
