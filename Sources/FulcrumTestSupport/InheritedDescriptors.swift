#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Test processes spawn children (daemons, openssl, curl) while other tests in the same process hold sockets;
/// SwiftNIO's sockets are not close-on-exec and Foundation's `Process` on Linux does not close them, so a child
/// kept a test's listening socket alive after the test closed it (its port stayed "in use" or accepted and
/// reset connections). Call this right before spawning: every descriptor above stderr becomes close-on-exec.
public enum InheritedDescriptors {
    /// Sets FD_CLOEXEC on every open descriptor above 2.
    public static func closeOnExec() {
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        let own = dirfd(directory)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let fd = Int32(name), fd > 2, fd != own else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }
}
