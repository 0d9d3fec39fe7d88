import Foundation

/// Reads a file descriptor in large chunks and hands out each line (without
/// its newline) as bytes, with its 1-based number. A last line without a
/// newline is handed out too.
struct LineReader {
    let fd: Int32
    var chunkSize = 1 << 20

    func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var filled = 0
        var lineNumber = 0
        while true {
            if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw HostError("read failed: \(String(cString: strerror(errno)))")
            }
            let end = filled + n
            var consumed = 0
            buffer.withUnsafeBufferPointer { all in
                var start = 0
                while let nl = memchr(all.baseAddress! + start, 0x0a, end - start) {
                    let at = all.baseAddress!.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                    lineNumber += 1
                    body(UnsafeBufferPointer(rebasing: all[start..<at]), lineNumber)
                    start = at + 1
                }
                if n == 0 && start < end {
                    lineNumber += 1
                    body(UnsafeBufferPointer(rebasing: all[start..<end]), lineNumber)
                    start = end
                }
                consumed = start
            }
            if n == 0 { return }
            // Move the partial line to the front.
            if consumed > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + consumed, end - consumed)
                }
            }
            filled = end - consumed
        }
    }
}
