#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which one, on what, and errno.
struct SystemError: Error, CustomStringConvertible, Equatable {
    let call: String
    let path: String
    let errno: Int32

    var description: String { "\(call)\(path.isEmpty ? "" : " " + path): \(String(cString: strerror(errno)))" }
    var isNotFound: Bool { errno == ENOENT || errno == ENOTDIR }
}

/// The few system calls the file source makes, in one place: each retries
/// EINTR and turns -1 into a `SystemError` naming the path.
enum SystemCalls {
    /// `stat(path)`: follows symlinks, because the configured path may be one.
    static func identity(of path: String) throws(SystemError) -> FileIdentity {
        var st = stat()
        guard retrying({ stat(path, &st) }) == 0 else { throw SystemError(call: "stat", path: path, errno: errno) }
        return FileIdentity(st)
    }

    static func identity(of fd: Int32, path: String) throws(SystemError) -> FileIdentity {
        var st = stat()
        guard retrying({ fstat(fd, &st) }) == 0 else { throw SystemError(call: "fstat", path: path, errno: errno) }
        return FileIdentity(st)
    }

    /// Opens `path` read-only; the descriptor is not inherited by children.
    static func openForReading(_ path: String) throws(SystemError) -> Int32 {
        let fd = retrying { open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { throw SystemError(call: "open", path: path, errno: errno) }
        return fd
    }

    /// Reads up to `buffer.count` bytes at `offset`; 0 at end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64,
                     path: String) throws(SystemError) -> Int {
        let n = retrying { pread(fd, buffer.baseAddress, buffer.count, off_t(offset)) }
        guard n >= 0 else { throw SystemError(call: "read", path: path, errno: errno) }
        return n
    }

    /// Calls `body` again while it fails with EINTR.
    static func retrying<T: BinaryInteger>(_ body: () -> T) -> T {
        while true {
            let r = body()
            if r == -1 && errno == EINTR { continue }
            return r
        }
    }
}

extension FileIdentity {
    init(_ st: stat) {
        self.init(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size))
    }
}
