import Foundation

extension Int64 {
    /// Division rounding towards minus infinity (times before 1970 stay correct).
    func floorDiv(_ d: Int64) -> Int64 { self >= 0 ? self / d : -((-self + d - 1) / d) }
}

/// Times in the host are Int64 nanoseconds since the Unix epoch, UTC.
public enum Timestamp {
    public static func nowNs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// `2026-11-26T08:22:23.412Z`
    public static func iso8601(_ ns: Int64) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { out in
            writeISO8601(ns, into: out.baseAddress!)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Writes the 24 bytes of `iso8601(ns)` to `out`. Digits by hand: a
    /// `String(format:)` here cost more than parsing the log line.
    public static func writeISO8601(_ ns: Int64, into out: UnsafeMutablePointer<UInt8>) {
        var seconds = time_t(ns.floorDiv(1_000_000_000))
        var tm = tm()
        gmtime_r(&seconds, &tm)
        func put(_ value: Int, _ width: Int, at offset: Int) {
            var v = value
            for i in stride(from: width - 1, through: 0, by: -1) {
                out[offset + i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
        }
        put(Int(tm.tm_year) + 1900, 4, at: 0)
        out[4] = UInt8(ascii: "-")
        put(Int(tm.tm_mon) + 1, 2, at: 5)
        out[7] = UInt8(ascii: "-")
        put(Int(tm.tm_mday), 2, at: 8)
        out[10] = UInt8(ascii: "T")
        put(Int(tm.tm_hour), 2, at: 11)
        out[13] = UInt8(ascii: ":")
        put(Int(tm.tm_min), 2, at: 14)
        out[16] = UInt8(ascii: ":")
        put(Int(tm.tm_sec), 2, at: 17)
        out[19] = UInt8(ascii: ".")
        put(Int((ns - ns.floorDiv(1_000_000_000) * 1_000_000_000) / 1_000_000), 3, at: 20)
        out[23] = UInt8(ascii: "Z")
    }

    /// Parses `2026-11-26`, `2026-11-26T08:00:00Z` (or with an offset), or a
    /// relative age such as `30m`, `2h`, `7d` before `now`.
    public static func parse(_ text: String, now: Int64 = nowNs()) -> Int64? {
        if let unit = text.last, let n = Int64(text.dropLast()), n >= 0 {
            let scale: Int64? = ["s": 1, "m": 60, "h": 3_600, "d": 86_400][unit]
            if let scale { return now - n * scale * 1_000_000_000 }
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.count == 10 ? [.withFullDate] : [.withInternetDateTime]
        if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970 * 1e9) }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970 * 1e9) }
    }
}
