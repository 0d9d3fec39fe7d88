import Foundation

/// Small wrappers over AF_UNIX stream sockets; the one place that meets
/// the socket system calls.
enum UnixSocket {
    static func address(_ path: String) throws -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard bytes.count < capacity else { throw HostError("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return addr
    }

    static func connect(_ path: String) throws -> Int32 {
        var addr = try address(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HostError("socket: \(String(cString: strerror(errno)))") }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw ControlUnavailable(path: path, reason: String(cString: strerror(e)))
        }
        return fd
    }

    static func listen(_ path: String) throws -> Int32 {
        var addr = try address(path)
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HostError("socket: \(String(cString: strerror(errno)))") }
        // Only the owner (root) may talk to the daemon.
        let old = umask(0o177)
        defer { umask(old) }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0, Glibc.listen(fd, 16) == 0 else {
            let e = errno
            close(fd)
            throw HostError("cannot listen on \(path): \(String(cString: strerror(e)))")
        }
        return fd
    }

    /// Reads one line of at most `max` bytes.
    static func readLine(_ fd: Int32, max: Int) -> String? {
        var data = [UInt8]()
        var byte: UInt8 = 0
        while data.count <= max {
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            guard n == 1 else { break }
            if byte == UInt8(ascii: "\n") { return String(decoding: data, as: UTF8.self) }
            data.append(byte)
        }
        return data.isEmpty || data.count > max ? nil : String(decoding: data, as: UTF8.self)
    }

    /// Writes to a socket; a peer that went away is an error return, not SIGPIPE
    /// (which would end the daemon).
    static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }
}

/// The daemon is not running (or its socket is elsewhere).
public struct ControlUnavailable: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "daemon not reachable at \(path): \(reason)" }
}
