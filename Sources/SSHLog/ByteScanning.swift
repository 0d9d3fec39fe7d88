// Byte-level scanning over a borrowed line buffer.
//
// Indices are offsets into the buffer. Every helper takes the bounds it may look at and
// never reads outside them, so a truncated or hostile line cannot make the parser read
// past its end. The buffer's own subscript is only checked in debug builds.

typealias Bytes = UnsafeBufferPointer<UInt8>

/// ASCII byte constants used by the parsers.
enum ASCII {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")
    static let dot = UInt8(ascii: ".")
    static let slash = UInt8(ascii: "/")
    static let percent = UInt8(ascii: "%")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c &- zero < 10 }

    /// Value of a hex digit, or nil.
    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        if c &- zero < 10 { return c &- zero }
        let lower = c | 0x20
        if lower &- UInt8(ascii: "a") < 6 { return lower &- UInt8(ascii: "a") &+ 10 }
        return nil
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether `literal` occurs at `i` and fits before `end`.
    @inline(__always)
    func has(_ literal: StaticString, at i: Int, end: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i >= 0, n <= end &- i else { return false }
        let p = literal.utf8Start
        var k = 0
        while k < n {
            if self[i &+ k] != p[k] { return false }
            k &+= 1
        }
        return true
    }

    /// The index just past `literal` when it occurs at `i`.
    @inline(__always)
    func skip(_ literal: StaticString, at i: Int, end: Int) -> Int? {
        has(literal, at: i, end: end) ? i &+ literal.utf8CodeUnitCount : nil
    }

    /// Whether the range `lo..<end` ends with `literal`.
    @inline(__always)
    func hasSuffix(_ literal: StaticString, lo: Int, end: Int) -> Bool {
        let start = end &- literal.utf8CodeUnitCount
        return start >= lo && has(literal, at: start, end: end)
    }

    /// Start of the rightmost occurrence of `literal` that lies inside `lo..<end`.
    func lastIndex(of literal: StaticString, lo: Int, end: Int) -> Int? {
        let n = literal.utf8CodeUnitCount
        let first = literal.utf8Start[0]
        var i = end &- n
        while i >= lo {
            if self[i] == first && has(literal, at: i, end: end) { return i }
            i &-= 1
        }
        return nil
    }

    /// Start of the leftmost occurrence of `literal` that lies inside `lo..<end`.
    func firstIndex(of literal: StaticString, lo: Int, end: Int) -> Int? {
        let n = literal.utf8CodeUnitCount
        let first = literal.utf8Start[0]
        var i = lo
        while i <= end &- n {
            if self[i] == first && has(literal, at: i, end: end) { return i }
            i &+= 1
        }
        return nil
    }

    /// First index in `i..<end` holding `byte`, or `end`.
    @inline(__always)
    func index(of byte: UInt8, from i: Int, end: Int) -> Int {
        var k = i
        while k < end && self[k] != byte { k &+= 1 }
        return k
    }

    /// End of the run of non-space bytes starting at `i` (bounded by `end`).
    @inline(__always)
    func tokenEnd(from i: Int, end: Int) -> Int {
        index(of: ASCII.space, from: i, end: end)
    }

    /// Start of the run of non-space bytes that ends at `end` (bounded below by `lo`).
    @inline(__always)
    func tokenStart(endingAt end: Int, lo: Int) -> Int {
        var k = end
        while k > lo && self[k &- 1] != ASCII.space { k &-= 1 }
        return k
    }

    /// End of the run of ASCII digits starting at `i`.
    @inline(__always)
    func digitsEnd(from i: Int, end: Int) -> Int {
        var k = i
        while k < end && ASCII.isDigit(self[k]) { k &+= 1 }
        return k
    }

    /// Start of the run of ASCII digits that ends at `end`.
    @inline(__always)
    func digitsStart(endingAt end: Int, lo: Int) -> Int {
        var k = end
        while k > lo && ASCII.isDigit(self[k &- 1]) { k &-= 1 }
        return k
    }

    /// Decimal value of an all-digit range; nil when empty or larger than `limit`.
    @inline(__always)
    func decimal(_ lo: Int, _ end: Int, limit: UInt64) -> UInt64? {
        guard lo < end else { return nil }
        var value: UInt64 = 0
        var k = lo
        while k < end {
            let d = self[k] &- ASCII.zero
            guard d < 10 else { return nil }
            value = value &* 10 &+ UInt64(d)
            // Checked every digit so that long runs cannot wrap around.
            if value > limit { return nil }
            k &+= 1
        }
        return value
    }

    /// A TCP port written in decimal, or nil if it does not fit.
    @inline(__always)
    func port(_ lo: Int, _ end: Int) -> UInt16? {
        decimal(lo, end, limit: UInt64(UInt16.max)).map { UInt16($0) }
    }

    /// The bytes of `lo..<end` as a String (invalid UTF-8 is repaired, never trusted).
    @inline(__always)
    func string(_ lo: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: self[lo..<end]), as: UTF8.self)
    }

    /// The bytes of `lo..<end` as their own buffer.
    @inline(__always)
    func slice(_ lo: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: self[lo..<end])
    }
}
