/// Proleptic Gregorian calendar arithmetic on integers (no Foundation, no time zone database).
enum CivilTime {
    static let secondsPerDay: Int64 = 86_400
    static let nanosPerSecond: Int64 = 1_000_000_000

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
    @inline(__always)
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil year containing `days` since 1970-01-01 (from Hinnant's civil_from_days).
    static func year(ofDays days: Int64) -> Int64 {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        return yearOfEra + era * 400 + (monthIndex >= 10 ? 1 : 0)
    }

    static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Days of the year before the first of `month`.
    @inline(__always)
    static func daysBeforeMonth(_ month: Int64, leap: Bool) -> Int64 {
        let cumulative: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) =
            (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
        let days = withUnsafeBytes(of: cumulative) { $0.load(fromByteOffset: Int(month - 1) * 8, as: Int64.self) }
        return days + (leap && month > 2 ? 1 : 0)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Nanoseconds since the epoch for UTC seconds, or nil outside Int64's range (~1677-2262).
    @inline(__always)
    static func nanoseconds(seconds: Int64, fraction: Int64 = 0) -> Int64? {
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: nanosPerSecond)
        guard !overflow else { return nil }
        let (total, overflow2) = scaled.addingReportingOverflow(fraction)
        return overflow2 ? nil : total
    }

    /// Floor division, so times before 1970 fall on the right day.
    @inline(__always)
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
