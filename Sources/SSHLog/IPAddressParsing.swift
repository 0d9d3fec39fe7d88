/// Strict text-to-address parsing over bytes.
enum IPAddressParser {
    /// Parses `lo..<end` of `b` as a whole: IPv6 when it contains a colon, else IPv4.
    static func parse(_ b: Bytes, _ lo: Int, _ end: Int) -> IPAddress? {
        guard lo < end else { return nil }
        if b.index(of: ASCII.colon, from: lo, end: end) < end {
            return parseIPv6(b, lo, end)
        }
        return parseIPv4(b, lo, end).map { IPAddress(ipv4: $0) }
    }

    /// Four decimal parts 0...255 separated by dots; a part never has a leading zero.
    static func parseIPv4(_ b: Bytes, _ lo: Int, _ end: Int) -> UInt32? {
        var value: UInt32 = 0
        var i = lo
        var part = 0
        while true {
            let start = i
            var n: UInt32 = 0
            while i < end, i &- start < 3, ASCII.isDigit(b[i]) {
                n = n &* 10 &+ UInt32(b[i] &- ASCII.zero)
                i &+= 1
            }
            let length = i &- start
            guard length > 0, n <= 255 else { return nil }
            // Leading zeros are refused: inet_aton reads them as octal, others as decimal.
            if length > 1 && b[start] == ASCII.zero { return nil }
            value = value << 8 | n
            part &+= 1
            if part == 4 { return i == end ? value : nil }
            guard i < end, b[i] == ASCII.dot else { return nil }
            i &+= 1
        }
    }

    /// RFC 4291 text forms: hex groups, one optional `::`, an optional dotted-quad tail and an
    /// optional non-empty `%zone`, which is dropped.
    static func parseIPv6(_ b: Bytes, _ lo: Int, _ fullEnd: Int) -> IPAddress? {
        var end = fullEnd
        let percent = b.index(of: ASCII.percent, from: lo, end: fullEnd)
        if percent < fullEnd {
            guard percent &+ 1 < fullEnd else { return nil }
            end = percent
        }
        var head: UInt128 = 0, headCount = 0
        var tail: UInt128 = 0, tailCount = 0
        var sawGap = false
        var i = lo
        guard i < end else { return nil }
        if b[i] == ASCII.colon {
            guard i &+ 1 < end, b[i &+ 1] == ASCII.colon else { return nil }
            sawGap = true
            i &+= 2
        }
        while i < end {
            let groupStart = i
            var group: UInt128 = 0
            var digits = 0
            while i < end, let h = ASCII.hexValue(b[i]) {
                group = group << 4 | UInt128(h)
                digits &+= 1
                i &+= 1
            }
            if i < end && b[i] == ASCII.dot {
                guard headCount &+ tailCount <= 6, let v4 = parseIPv4(b, groupStart, end) else { return nil }
                if sawGap {
                    tail = tail << 32 | UInt128(v4)
                    tailCount &+= 2
                } else {
                    head = head << 32 | UInt128(v4)
                    headCount &+= 2
                }
                break
            }
            guard digits >= 1, digits <= 4, headCount &+ tailCount < 8 else { return nil }
            if sawGap {
                tail = tail << 16 | group
                tailCount &+= 1
            } else {
                head = head << 16 | group
                headCount &+= 1
            }
            if i == end { break }
            guard b[i] == ASCII.colon else { return nil }
            i &+= 1
            if i < end && b[i] == ASCII.colon {
                guard !sawGap else { return nil }
                sawGap = true
                i &+= 1
            } else if i == end {
                return nil
            }
        }
        let count = headCount &+ tailCount
        let value: UInt128
        if sawGap {
            guard count <= 7 else { return nil }
            value = (head << (16 * (8 - headCount))) | tail
        } else {
            guard count == 8 else { return nil }
            value = head
        }
        return IPAddress(hi: UInt64(truncatingIfNeeded: value >> 64), lo: UInt64(truncatingIfNeeded: value))
    }
}
