#if canImport(Glibc)
import SSHLog
import Glibc
#endif

/// One open log file and how far it has been read. It keeps its descriptor
/// after a rotation, so lines a writer still appends to the renamed file are
/// read too.
final class OpenLogFile {
    /// The path it was opened as (it may have been renamed since).
    let path: String
    let fd: Int32
    let device: UInt64
    let inode: UInt64
    /// The next byte to read.
    var offset: Int64
    var splitter: LineSplitter
    /// Its inotify watch, if one could be added.
    var watch: Int32?
    /// Monotonic seconds when data was last read; rotated files are closed after
    /// being idle for a while.
    var lastData: Double
    /// The position last handed to the host, so an unchanged one is not written again.
    var persisted: FilePosition?
    private var reportedDrops = 0

    /// Opens `path`; `startOffset` chooses where to begin, given what was opened
    /// (the identity comes from the descriptor, so it cannot name another file).
    init(path: String, maxLineBytes: Int, startOffset: (FileIdentity) -> Int64) throws(SystemError) {
        let fd = try SystemCalls.openForReading(path)
        let identity: FileIdentity
        do {
            identity = try SystemCalls.identity(of: fd, path: path)
        } catch {
            close(fd)
            throw error
        }
        self.path = path
        self.fd = fd
        device = identity.device
        inode = identity.inode
        offset = startOffset(identity)
        splitter = LineSplitter(maxLineBytes: maxLineBytes)
        lastData = monotonicSeconds()
    }

    deinit { close(fd) }

    /// The offset of the first byte of the first unfinished line: where a
    /// restart must resume so that no line is lost or cut.
    var consumedOffset: Int64 { offset - Int64(splitter.partialLength) }

    func isSameFile(as identity: FileIdentity) -> Bool {
        device == identity.device && inode == identity.inode
    }

    var position: FilePosition { FilePosition(device: device, inode: inode, offset: consumedOffset) }

    /// Current size, from the descriptor.
    func identity() throws(SystemError) -> FileIdentity {
        try SystemCalls.identity(of: fd, path: path)
    }

    /// When reading starts at an offset inside a line (the writer is halfway
    /// through it), skips to the next line rather than parse half a line.
    func skipPartialLineBeforeOffset() throws(SystemError) {
        guard offset > 0 else { return }
        var byte: UInt8 = 0
        let n = try withUnsafeMutableBytes(of: &byte) { raw in
            Result { () throws(SystemError) in try SystemCalls.read(fd, into: raw, at: offset - 1, path: path) }
        }.get()
        if n == 1 && byte != UInt8(ascii: "\n") { splitter.skipToNextLine() }
    }

    /// Starts over at 0 after the file was truncated (copytruncate).
    func restartAfterTruncation() -> Int {
        offset = 0
        return splitter.reset()
    }

    /// Reads to end of file in chunks of `buffer.count` bytes, handing each
    /// complete line to `onLine` and calling `afterChunk` after each chunk.
    /// Stops early when `shouldStop` says so. Returns the number of lines that
    /// were dropped as too long since the previous call.
    func readToEnd(
        buffer: inout [UInt8],
        shouldStop: () -> Bool,
        onLine: (UnsafeBufferPointer<UInt8>) -> Void,
        afterChunk: () -> Void
    ) throws(SystemError) -> Int {
        while !shouldStop() {
            let n = try buffer.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) in try SystemCalls.read(fd, into: raw, at: offset, path: path) }
            }.get()
            guard n > 0 else { break }
            offset += Int64(n)
            lastData = monotonicSeconds()
            buffer.withUnsafeBufferPointer { all in
                splitter.feed(UnsafeBufferPointer(rebasing: all[..<n]), onLine)
            }
            afterChunk()
        }
        let drops = splitter.droppedLines - reportedDrops
        reportedDrops = splitter.droppedLines
        return drops
    }
}

/// Seconds on the monotonic clock, for idle timeouts.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
