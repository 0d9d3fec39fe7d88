#if canImport(Glibc)
import Glibc
#endif

/// An inotify instance whose watches are reference counted, because the kernel
/// hands out one watch per inode: two holders of the same directory (auth.log
/// and secure both live in /var/log) share it, and removing it for one would
/// silence the other.
final class Inotify {
    /// What a log file's watch reports: writes, truncation, rename and deletion.
    static let fileMask = UInt32(IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF)
    /// What a log directory's watch reports: a log file created or renamed into place.
    static let directoryMask = UInt32(IN_CREATE | IN_MOVED_TO) | UInt32(bitPattern: IN_ONLYDIR)

    /// Non-blocking; poll it for POLLIN.
    let fd: Int32
    private var holders: [Int32: Int] = [:]
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    init() throws(SystemError) {
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw SystemError(call: "inotify_init1", path: "", errno: errno) }
    }

    deinit { close(fd) }

    /// Watches `path`; returns the watch descriptor to pass to `unwatch`.
    func watch(_ path: String, mask: UInt32) throws(SystemError) -> Int32 {
        let wd = inotify_add_watch(fd, path, mask)
        guard wd >= 0 else { throw SystemError(call: "inotify_add_watch", path: path, errno: errno) }
        holders[wd, default: 0] += 1
        return wd
    }

    /// Gives up one hold on `wd`; the last one removes the watch.
    func unwatch(_ wd: Int32) {
        guard let count = holders[wd] else { return } // the kernel already removed it
        if count > 1 {
            holders[wd] = count - 1
        } else {
            holders[wd] = nil
            _ = inotify_rm_watch(fd, wd) // EINVAL if the inode just went away: nothing to undo
        }
    }

    /// False once the kernel dropped `wd` (its inode was deleted or unmounted).
    func isActive(_ wd: Int32) -> Bool { holders[wd] != nil }

    /// Reads every queued event. Returns true when anything was queued, i.e.
    /// something may have changed and the files should be looked at. The file
    /// source re-examines every path on any event, so the events themselves
    /// only need to be consumed (and IN_IGNORED noted, to forget dead watches).
    func drain() throws(SystemError) -> Bool {
        var any = false
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN { return any }
                throw SystemError(call: "read", path: "inotify", errno: errno)
            }
            if n == 0 { return any }
            any = true
            forgetRemovedWatches(in: n)
        }
    }

    /// Walks the raw `struct inotify_event` records: wd, mask, cookie, len, name[len].
    private func forgetRemovedWatches(in length: Int) {
        buffer.withUnsafeBytes { raw in
            var at = 0
            while at + 16 <= length {
                let wd = raw.loadUnaligned(fromByteOffset: at, as: Int32.self)
                let mask = raw.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self)
                let nameLength = Int(raw.loadUnaligned(fromByteOffset: at + 12, as: UInt32.self))
                if mask & UInt32(IN_IGNORED) != 0 { holders[wd] = nil }
                at += 16 + nameLength
            }
        }
    }
}
