#if canImport(Glibc)
import Glibc
#endif

/// Owns C copies of Swift strings for the length of one ABI call.
public final class CStringArena {
    private var owned: [UnsafeMutablePointer<CChar>] = []

    public init() {}

    /// A NUL-terminated copy of `s`, or nil; valid until `release()`.
    public func copy(_ s: String?) -> UnsafePointer<CChar>? {
        guard let s, let p = strdup(s) else { return nil }
        owned.append(p)
        return UnsafePointer(p)
    }

    public func release() {
        owned.forEach { free($0) }
        owned.removeAll()
    }
}

/// Writes `message` into a C buffer of `capacity` bytes, truncated, NUL-terminated.
public func writeCError(_ message: String, to buffer: UnsafeMutablePointer<CChar>?, capacity: Int) {
    guard let buffer, capacity > 0 else { return }
    var bytes = Array(message.utf8.prefix(capacity - 1))
    bytes.append(0)
    bytes.withUnsafeBufferPointer { src in
        src.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            buffer.update(from: $0, count: bytes.count)
        }
    }
}
