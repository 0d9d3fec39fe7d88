import Foundation

/// Buffers stdout writes into large blocks: a line-by-line print would cost
/// more than parsing the line.
struct OutputBuffer {
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1 << 20) }

    mutating func append(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        bytes.append(0x0a)
        if bytes.count >= 1 << 20 { flush() }
    }

    /// Lets `body` append bytes (with their own newlines) directly.
    mutating func appendBytes(_ body: (inout [UInt8]) -> Void) {
        body(&bytes)
        if bytes.count >= 1 << 20 { flush() }
    }

    mutating func flush() {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            offset += n
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
