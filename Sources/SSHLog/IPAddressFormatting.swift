/// Canonical text for addresses: dotted quad, RFC 5952 for IPv6.
enum IPAddressFormatter {
    private static let hexDigits: StaticString = "0123456789abcdef"

    /// Eight groups of four digits and seven colons is the longest form.
    static let maxLength = 39
    /// "255.255.255.255"
    static let maxIPv4Length = 15

    static func format(_ a: IPAddress) -> String {
        // IPv4 text fits the capacity of a small (inline) String: no allocation.
        String(unsafeUninitializedCapacity: a.isIPv4 ? maxIPv4Length : maxLength) { write(a, into: $0) }
    }

    /// Writes the text of `a` to `out`, which has room for it (`maxIPv4Length` bytes for
    /// IPv4, `maxLength` for any address), and returns its length.
    static func write(_ a: IPAddress, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        if let v4 = a.ipv4 { return write(ipv4: v4, into: out) }
        var groups: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &groups) { raw in
            let g = raw.bindMemory(to: UInt16.self)
            for k in 0..<4 {
                g[k] = UInt16(truncatingIfNeeded: a.hi >> UInt64(48 - 16 * k))
                g[k + 4] = UInt16(truncatingIfNeeded: a.lo >> UInt64(48 - 16 * k))
            }
        }
        return withUnsafeBytes(of: &groups) { raw in
            write(groups: raw.bindMemory(to: UInt16.self), into: out)
        }
    }

    private static func write(ipv4 v4: UInt32, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var n = 0
        for shift in stride(from: 24, through: 0, by: -8) {
            if shift != 24 { out[n] = ASCII.dot; n += 1 }
            n += writeDecimal(UInt8(truncatingIfNeeded: v4 >> UInt32(shift)), into: out, at: n)
        }
        return n
    }

    private static func write(groups g: UnsafeBufferPointer<UInt16>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        // RFC 5952 4.2: compress the longest run of >= 2 zero groups, the first one on a tie.
        var bestStart = -1, bestLength = 1
        var runStart = -1
        for k in 0...8 {
            if k < 8 && g[k] == 0 {
                if runStart < 0 { runStart = k }
            } else if runStart >= 0 {
                if k - runStart > bestLength { bestStart = runStart; bestLength = k - runStart }
                runStart = -1
            }
        }
        var n = 0
        var k = 0
        while k < 8 {
            if k == bestStart {
                out[n] = ASCII.colon; n += 1
                if k == 0 { out[n] = ASCII.colon; n += 1 }
                k += bestLength
                continue
            }
            n += writeHex(g[k], into: out, at: n)
            if k < 7 { out[n] = ASCII.colon; n += 1 }
            k += 1
        }
        return n
    }

    private static func writeDecimal(_ v: UInt8, into out: UnsafeMutableBufferPointer<UInt8>, at n: Int) -> Int {
        if v >= 100 {
            out[n] = ASCII.zero + v / 100
            out[n + 1] = ASCII.zero + v / 10 % 10
            out[n + 2] = ASCII.zero + v % 10
            return 3
        }
        if v >= 10 {
            out[n] = ASCII.zero + v / 10
            out[n + 1] = ASCII.zero + v % 10
            return 2
        }
        out[n] = ASCII.zero + v
        return 1
    }

    private static func writeHex(_ v: UInt16, into out: UnsafeMutableBufferPointer<UInt8>, at n: Int) -> Int {
        let digits = hexDigits.utf8Start
        var shift = 12
        while shift > 0 && (v >> UInt16(shift)) & 0xF == 0 { shift -= 4 }
        var written = 0
        while shift >= 0 {
            out[n + written] = digits[Int((v >> UInt16(shift)) & 0xF)]
            written += 1
            shift -= 4
        }
        return written
    }
}
