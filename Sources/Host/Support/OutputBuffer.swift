import Foundation

/// Buffers stdout writes into large blocks: a line-by-line print would cost
/// more than parsing the line.
struct OutputBuffer {
    private static let blockSize = 1 << 20
    /// Where `flush` writes: stdout, or a file in tests.
    var fd = STDOUT_FILENO
    /// Zeroed once; the first `count` bytes are the pending output.
    private var storage = [UInt8](repeating: 0, count: blockSize)
    private var count = 0

    /// Lets `body` write at most `maxCount` bytes in place, through a writer
    /// with that much room: no capacity check per field. Inlined, so that
    /// `body` needs no context (which copied the event it writes).
    @inline(__always)
    mutating func append(maxCount: Int, _ body: (inout ByteWriter) -> Void) {
        if count + maxCount > storage.count {
            flush()
            if maxCount > storage.count { storage = [UInt8](repeating: 0, count: maxCount) }
        }
        storage.withUnsafeMutableBufferPointer { all in
            let start = all.baseAddress! + count
            var writer = ByteWriter(start)
            body(&writer)
            precondition(writer.position - start <= maxCount, "wrote more than maxCount")
            count += writer.position - start
        }
        if count >= Self.blockSize { flush() }
    }

    mutating func flush() {
        var offset = 0
        while offset < count {
            let n = storage.withUnsafeBytes { write(fd, $0.baseAddress! + offset, count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            offset += n
        }
        count = 0
    }
}

/// Writes bytes forward into room the caller has made (`OutputBuffer.append`).
struct ByteWriter: ByteSink {
    private(set) var position: UnsafeMutablePointer<UInt8>

    init(_ start: UnsafeMutablePointer<UInt8>) { position = start }

    mutating func append(_ byte: UInt8) {
        position.pointee = byte
        position += 1
    }

    @inline(__always)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        position.update(from: base, count: bytes.count)
        position += bytes.count
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func append(_ literal: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// The same digits as `String(value)`.
    mutating func append(decimal value: Int) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var digits = 1
        var rest = value.magnitude
        while rest >= 10 { digits += 1; rest /= 10 }
        rest = value.magnitude
        for i in (0..<digits).reversed() {
            position[i] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        position += digits
    }

    /// Lets `body` write at most `maxCount` bytes here; it returns how many it wrote.
    mutating func append(maxCount: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        position += body(UnsafeMutableBufferPointer(start: position, count: maxCount))
    }
}

/// Where hand-built text goes: a growing `[UInt8]`, or a `ByteWriter` into reserved room.
protocol ByteSink {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteSink where Element == UInt8 {}
