import Foundation
import Synchronization

/// An append-only log file that rotates by size: `name` -> `name.1` -> ...
/// keeping at most `backups` old files.
public final class RotatingFile: Sendable {
    let path: String
    private let maxBytes: Int
    private let backups: Int
    private let state: Mutex<(fd: Int32, size: Int)>

    init(path: String, maxBytes: Int, backups: Int) throws {
        self.path = path
        self.maxBytes = maxBytes
        self.backups = backups
        let fd = try Self.open(path)
        state = Mutex((fd, Self.size(fd)))
    }

    deinit { state.withLock { s in _ = close(s.fd) } }

    func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        write(bytes: bytes)
    }

    /// Appends whole lines (each ending in a newline) in one write.
    func write(bytes: [UInt8]) {
        state.withLock { s in
            if s.size + bytes.count > maxBytes && s.size > 0 { rotate(&s) }
            let n = bytes.withUnsafeBytes { Glibc.write(s.fd, $0.baseAddress, $0.count) }
            if n > 0 { s.size += n }
        }
    }

    private func rotate(_ s: inout (fd: Int32, size: Int)) {
        close(s.fd)
        if backups > 0 {
            unlink("\(path).\(backups)")
            for i in stride(from: backups - 1, through: 1, by: -1) {
                rename("\(path).\(i)", "\(path).\(i + 1)")
            }
            rename(path, "\(path).1")
        } else {
            unlink(path)
        }
        // If reopening fails, keep writing to stderr's twin rather than lose the line.
        s.fd = (try? Self.open(path)) ?? dup(STDERR_FILENO)
        s.size = 0
    }

    private static func open(_ path: String) throws -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw HostError("cannot open log file \(path): \(String(cString: strerror(errno)))")
        }
        return fd
    }

    private static func size(_ fd: Int32) -> Int {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }
}
