import Foundation
import SSHLog

/// Reads a file descriptor in large chunks and hands out each line (without
/// its newline) as bytes, with its 1-based number; a last line without a
/// newline is handed out too. Lines are bounded like the tailer's
/// (`LineSplitter`): a longer one is dropped and counted, so a file without
/// newlines cannot make a dry run grow without limit.
struct LineReader {
    let fd: Int32
    var chunkSize = 1 << 20
    var maxLineBytes = 16 * 1024

    /// Returns how many overlong lines were dropped.
    @discardableResult
    func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) throws -> Int {
        var splitter = LineSplitter(maxLineBytes: maxLineBytes)
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw HostError("read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            buffer.withUnsafeBufferPointer { all in
                splitter.feed(UnsafeBufferPointer(rebasing: all[..<n]), body)
            }
        }
        splitter.finish(body)
        return splitter.droppedLines
    }
}
