/// Canonical text for addresses: dotted quad, RFC 5952 for IPv6.
enum IPAddressFormatter {
    private static let hexDigits: StaticString = "0123456789abcdef"

    static func format(_ a: IPAddress) -> String {
        if let v4 = a.ipv4 {
            // "255.255.255.255" is 15 bytes.
            return String(unsafeUninitializedCapacity: 15) { out in
                var n = 0
                for shift in stride(from: 24, through: 0, by: -8) {
                    if shift != 24 { out[n] = ASCII.dot; n += 1 }
                    n += writeDecimal(UInt8(truncatingIfNeeded: v4 >> UInt32(shift)), into: out, at: n)
                }
                return n
            }
        }
        var groups: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &groups) { raw in
            let g = raw.bindMemory(to: UInt16.self)
            for k in 0..<4 {
                g[k] = UInt16(truncatingIfNeeded: a.hi >> UInt64(48 - 16 * k))
                g[k + 4] = UInt16(truncatingIfNeeded: a.lo >> UInt64(48 - 16 * k))
            }
        }
        return withUnsafeBytes(of: &groups) { raw in
            format(groups: raw.bindMemory(to: UInt16.self))
        }
    }

    private static func format(groups g: UnsafeBufferPointer<UInt16>) -> String {
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
        // Eight groups of four digits and seven colons is the longest form.
        return String(unsafeUninitializedCapacity: 39) { out in
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
