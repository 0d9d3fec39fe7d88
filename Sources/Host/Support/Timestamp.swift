import Foundation

/// Times in the host are Int64 nanoseconds since the Unix epoch, UTC.
public enum Timestamp {
    public static func nowNs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// `2026-11-26T08:22:23.412Z`
    public static func iso8601(_ ns: Int64) -> String {
        var seconds = time_t(ns / 1_000_000_000)
        var tm = tm()
        gmtime_r(&seconds, &tm)
        let millis = Int((ns % 1_000_000_000) / 1_000_000)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                      Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday),
                      Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec), millis)
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
