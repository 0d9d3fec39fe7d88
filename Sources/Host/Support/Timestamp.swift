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

    /// Writes the 24 bytes of `iso8601(ns)` to `out`. Digits and calendar by hand:
    /// `String(format:)` here cost more than parsing the log line, and `gmtime_r`
    /// half of writing a JSON line.
    public static func writeISO8601(_ ns: Int64, into out: UnsafeMutablePointer<UInt8>) {
        let seconds = ns.floorDiv(1_000_000_000)
        let days = seconds.floorDiv(86_400)
        let secondOfDay = seconds - days * 86_400
        let date = civil(days: days)
        func put(_ value: Int64, _ width: Int, at offset: Int) {
            var v = value
            for i in stride(from: width - 1, through: 0, by: -1) {
                out[offset + i] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: v % 10)
                v /= 10
            }
        }
        put(date.year, 4, at: 0)
        out[4] = UInt8(ascii: "-")
        put(date.month, 2, at: 5)
        out[7] = UInt8(ascii: "-")
        put(date.day, 2, at: 8)
        out[10] = UInt8(ascii: "T")
        put(secondOfDay / 3_600, 2, at: 11)
        out[13] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, 2, at: 14)
        out[16] = UInt8(ascii: ":")
        put(secondOfDay % 60, 2, at: 17)
        out[19] = UInt8(ascii: ".")
        put((ns - seconds * 1_000_000_000) / 1_000_000, 3, at: 20)
        out[23] = UInt8(ascii: "Z")
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`: 400-year eras, years starting in March).
    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = z.floorDiv(146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let m = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * m + 2) / 5 + 1
        let month = m < 10 ? m + 3 : m - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
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
