/// Recent attempts of one address, oldest first, each packed into one word
/// (milliseconds << 16 | weight in 1/256ths). Most attacking addresses try
/// only once or twice, so two attempts live inline and only the rest in an
/// array: a tracked address then costs its dictionary entry and no heap block.
struct AttemptTrack {
    private var a: UInt64 = 0  // 0 = empty; a packed attempt is never 0 (weight > 0)
    private var b: UInt64 = 0
    private var more: [UInt64] = []  // an empty array allocates nothing

    static func pack(timeNs: Int64, weight: Double) -> UInt64 {
        UInt64(max(0, timeNs / 1_000_000)) << 16 | UInt64(max(1, min(65_535, (weight * 256).rounded())))
    }
    static func timeNs(_ packed: UInt64) -> Int64 { Int64(packed >> 16) * 1_000_000 }
    static func weight(_ packed: UInt64) -> Double { Double(packed & 0xffff) / 256 }

    var isEmpty: Bool { a == 0 }
    /// Time of the newest attempt (0 when empty).
    var lastNs: Int64 { Self.timeNs(more.last ?? (b != 0 ? b : a)) }
    var sum: Double {
        var s = Self.weight(a) * (a == 0 ? 0 : 1) + Self.weight(b) * (b == 0 ? 0 : 1)
        for x in more { s += Self.weight(x) }
        return s
    }

    mutating func append(_ packed: UInt64) {
        if a == 0 { a = packed } else if b == 0 { b = packed } else { more.append(packed) }
    }

    /// Drops attempts at or before `startNs` (they left the window).
    mutating func drop(upTo startNs: Int64) {
        while a != 0 && Self.timeNs(a) <= startNs {
            a = b
            b = more.isEmpty ? 0 : more.removeFirst()
        }
    }
}
