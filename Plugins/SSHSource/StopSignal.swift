#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Tells reader threads to finish: a flag, plus a pipe whose read end each
/// thread adds to its poll set so that a thread asleep in poll() wakes at once.
/// The pipe is never read, so it stays readable for every thread. (A pipe, not
/// an eventfd: Swift's Glibc module does not export sys/eventfd.h.)
final class StopSignal: Sendable {
    /// Readable (POLLIN) once `signal()` was called.
    let fd: Int32
    private let writeEnd: Int32
    private let stopped = Atomic<Bool>(false)

    init() throws(SystemError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw SystemError(call: "pipe", path: "", errno: errno) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) } // cannot fail on a descriptor we just made
        fd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(fd)
        close(writeEnd)
    }

    var isSignaled: Bool { stopped.load(ordering: .acquiring) }

    func signal() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var byte: UInt8 = 1
        _ = SystemCalls.retrying { write(writeEnd, &byte, 1) } // one byte into an empty pipe cannot block or fail
    }

    /// Sleeps until `other` is readable (with `events`), the signal fires, or
    /// `timeoutMs` passes. Returns false once stop was signaled.
    func wait(for other: Int32, events: Int16 = Int16(POLLIN), timeoutMs: Int32) -> Bool {
        var fds = [pollfd(fd: other, events: events, revents: 0), pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
        _ = SystemCalls.retrying { poll(&fds, 2, timeoutMs) } // an error is treated like a timeout: the caller re-checks everything
        return !isSignaled
    }
}
