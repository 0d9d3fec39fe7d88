import SSHLog

/// One log line built in a byte buffer. Per decision, string interpolation
/// and `String` appends of the pieces cost several times more than the
/// firewall call they report.
struct LineBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 192) { bytes.reserveCapacity(capacity) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ address: IPAddress) { append(address.description) }

    /// The decimal digits of `n`, as `"\(n)"` writes them.
    mutating func append(decimal n: Int64) {
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        append(decimal: n.magnitude)
    }

    mutating func append(decimal n: UInt64) {
        var count = 1
        var rest = n
        while rest >= 10 { rest /= 10; count += 1 }
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var v = n
        var i = bytes.count
        repeat {
            i -= 1
            bytes[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        } while v > 0
    }

    /// `logSafe(text)`, appended: runs of safe bytes are copied at once.
    mutating func appendLogSafe(_ text: String) {
        var text = text
        text.withUTF8 { all in
            let kept = UnsafeBufferPointer(rebasing: all.prefix(logSafeLimit))
            var start = 0
            for i in kept.indices where !isLogSafe(kept[i]) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: kept[start..<i]))
                let hex: StaticString = "0123456789abcdef"
                hex.withUTF8Buffer { h in
                    bytes.append(UInt8(ascii: "\\"))
                    bytes.append(UInt8(ascii: "x"))
                    bytes.append(h[Int(kept[i] >> 4)])
                    bytes.append(h[Int(kept[i] & 0xf)])
                }
                start = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: kept[start...]))
            if all.count > logSafeLimit { bytes.append(contentsOf: "...".utf8) }
        }
    }
}

/// `logSafe` keeps at most this many bytes of its input.
let logSafeLimit = 80

/// Printable ASCII except the backslash, which starts `logSafe`'s escapes.
@inline(__always)
func isLogSafe(_ byte: UInt8) -> Bool {
    byte >= 0x20 && byte < 0x7f && byte != UInt8(ascii: "\\")
}
