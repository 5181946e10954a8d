import NIOConcurrencyHelpers

#if canImport(Glibc)
public import Glibc
#elseif canImport(Musl)
public import Musl
#endif

/// Test processes spawn children (daemons, openssl, curl) while other tests in the same process hold sockets;
/// SwiftNIO's sockets are not close-on-exec, so a child kept a test's listening socket alive after the test closed
/// it (its port stayed "in use" or accepted and reset connections). Every spawn in the tests therefore goes through
/// ``spawning(closeOnExec:_:)``: descriptors above stderr become close-on-exec, and spawns never overlap.
///
/// Why never overlap: Foundation's `Process.run()` on Linux learns that its child exited from a socket pair whose
/// one end only the child holds; the end is an ordinary descriptor between `socketpair` and `posix_spawn`.
/// - Marking it close-on-exec from another thread in that window (as an unlocked `closeOnExec()` did) closes it in
///   the child at once. Foundation's single process-manager thread then runs a blocking `waitpid` on a child that
///   is still running (a daemon under test), and no other `Process` in the test run ever learns of its exit: the
///   whole suite hung, with both cooperative threads in `waitUntilExit()`.
/// - Another spawn in that window can inherit the end, and the first child then looks alive for as long as the
///   second one runs.
public enum InheritedDescriptors {
    private static let lock = NIOLock()

    /// Runs `spawn` (a `Process.run()` or a `posix_spawn`) while no other spawn through here is under way, after
    /// setting FD_CLOEXEC on every descriptor above 2 unless `closeOnExec` is false (a test of inheritance).
    public static func spawning<Result>(closeOnExec: Bool = true, _ spawn: () throws -> Result) rethrows -> Result {
        try lock.withLock {
            if closeOnExec { markCloseOnExec() }
            return try spawn()
        }
    }

    /// Adds "close every descriptor from 3 up" to `actions`, so a long-lived child (libvirtd started by the lab
    /// script) holds nothing of the test process, not even a descriptor opened after ``spawning(closeOnExec:_:)``
    /// marked the others. glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time: the
    /// Swift Glibc module does not export GNU extensions. Returns false when the C library lacks it.
    @discardableResult
    public static func closeFrom3(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>) -> Bool {
        guard let addCloseFrom = closeFromFunction else { return false }
        return addCloseFrom(actions, 3) == 0
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static let closeFromFunction: AddCloseFrom? = {
        guard let library = dlopen(nil, RTLD_NOW),
            let symbol = dlsym(library, "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// Sets FD_CLOEXEC on every open descriptor above 2.
    private static func markCloseOnExec() {
        for fd in openDescriptors() where fd > 2 {
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// This process's open descriptors, from /proc/self/fd (empty without /proc).
    public static func openDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        let own = dirfd(directory)
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let fd = Int32(name), fd != own { descriptors.append(fd) }
        }
        return descriptors
    }
}
