/// Splits a byte stream into `\n`-terminated lines, with a bound on line length.
///
/// Chunks may end anywhere, so the bytes after the last newline are kept until
/// the rest of the line arrives (the same discipline as NIO's
/// `NIOSplitLinesMessageDecoder`). A line longer than `maxLineBytes` is dropped
/// whole and counted: sshd never writes such a line, and cutting it would hand
/// the parser a line whose end is wherever the cut fell, while every pattern
/// is anchored at the end of the line.
public struct LineSplitter {
    /// The longest line (without its newline) that is delivered.
    public let maxLineBytes: Int
    /// Bytes of the current, unfinished line that are kept.
    private var pending: [UInt8] = []
    /// True while skipping the rest of a line that is already too long.
    private var discarding = false
    /// Bytes of the current, unfinished line seen so far, kept or not.
    public private(set) var partialLength = 0
    /// Lines dropped for being longer than `maxLineBytes`, since creation.
    public private(set) var droppedLines = 0
    /// Newlines consumed since creation (empty and dropped lines count too).
    public private(set) var linesSeen = 0

    public init(maxLineBytes: Int) {
        precondition(maxLineBytes > 0, "maxLineBytes must be positive")
        self.maxLineBytes = maxLineBytes
    }

    /// Skips bytes up to and including the next newline: used when reading
    /// starts in the middle of a line whose beginning is not ours to parse.
    public mutating func skipToNextLine() {
        pending.removeAll(keepingCapacity: true)
        discarding = true
    }

    /// Forgets the unfinished line, e.g. when the file it came from was truncated.
    /// Returns how many bytes were forgotten.
    @discardableResult
    public mutating func reset() -> Int {
        let forgotten = partialLength
        pending.removeAll(keepingCapacity: true)
        discarding = false
        partialLength = 0
        return forgotten
    }

    /// Feeds one chunk and calls `onLine` for every complete line in it, without
    /// its newline (and without a trailing `\r`). Empty lines are skipped. The
    /// buffer passed to `onLine` is only valid during the call.
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ onLine: (UnsafeBufferPointer<UInt8>) -> Void) {
        feed(chunk) { line, _ in onLine(line) }
    }

    /// The same, also passing each line's 1-based number in the stream.
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ onLine: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        var start = 0
        while start < chunk.count {
            guard let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                keepPartial(UnsafeBufferPointer(rebasing: chunk[start...]))
                return
            }
            let piece = UnsafeBufferPointer(rebasing: chunk[start..<newline])
            start = newline + 1
            linesSeen += 1
            if discarding {
                discarding = false
                partialLength = 0
                continue
            }
            if pending.isEmpty {
                if piece.count > maxLineBytes {
                    droppedLines += 1
                } else {
                    deliver(piece, onLine)
                }
            } else if pending.count + piece.count > maxLineBytes {
                droppedLines += 1
            } else {
                pending.append(contentsOf: piece)
                pending.withUnsafeBufferPointer { deliver($0, onLine) }
            }
            pending.removeAll(keepingCapacity: true)
            partialLength = 0
        }
    }

    /// At the end of a file: delivers an unfinished last line (one without a
    /// newline), numbered `linesSeen + 1`, unless it was too long.
    public mutating func finish(_ onLine: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        defer { reset() }
        guard partialLength > 0, !discarding else { return }
        linesSeen += 1
        pending.withUnsafeBufferPointer { deliver($0, onLine) }
    }

    private mutating func keepPartial(_ bytes: UnsafeBufferPointer<UInt8>) {
        partialLength += bytes.count
        guard !discarding else { return }
        if pending.count + bytes.count > maxLineBytes {
            // Too long already: stop keeping it and skip to its newline.
            droppedLines += 1
            pending.removeAll(keepingCapacity: true)
            discarding = true
        } else {
            pending.append(contentsOf: bytes)
        }
    }

    private func deliver(_ line: UnsafeBufferPointer<UInt8>, _ onLine: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        var end = line.count
        if end > 0, line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        guard end > 0 else { return }
        onLine(UnsafeBufferPointer(rebasing: line[..<end]), linesSeen)
    }
}
