// The two timestamp formats rsyslog writes: RSYSLOG_TraditionalFileFormat ("Nov 26 08:22:23",
// local time, no year) and RSYSLOG_FileFormat (RFC 3339 with its own offset). journalctl's
// short and short-iso(-precise) outputs are the same shapes ("+0000" offsets included).

extension SyslogParser {
    /// `Mmm dd hh:mm:ss` (day space-padded or not) at `i`: UTC seconds and the index after it.
    func classicTimestamp(_ b: Bytes, _ i: Int, _ end: Int) -> (seconds: Int64, next: Int)? {
        guard end - i >= 14, b[i + 3] == ASCII.space,
              let month = Self.month(b[i], b[i + 1], b[i + 2]) else { return nil }
        var j = i + 4
        if b[j] == ASCII.space { j += 1 }
        let dayEnd = b.digitsEnd(from: j, end: min(end, j + 2))
        guard dayEnd > j, dayEnd < end, b[dayEnd] == ASCII.space,
              let day = b.decimal(j, dayEnd, limit: 31), day >= 1,
              let (secondOfDay, next) = Self.clock(b, dayEnd + 1, end) else { return nil }
        guard let seconds = inferYear(month: Int64(month), day: Int64(day), secondOfDay: secondOfDay) else { return nil }
        return (seconds, next)
    }

    /// UTC seconds of a year-less local time: the latest year in which the time is not more
    /// than a day after the reference. A Dec 31 line read on Jan 1 belongs to last year; a
    /// Jan 1 00:00 line read on Dec 31 23:59 (clocks a little apart) to next year.
    func inferYear(month: Int64, day: Int64, secondOfDay: Int64) -> Int64? {
        // The three years around the reference cover every date but Feb 29; their starts are precomputed.
        for candidate in 0..<3 {
            let year = referenceYear + 1 - Int64(candidate)
            let start = candidate == 0 ? yearStarts.next : candidate == 1 ? yearStarts.this : yearStarts.previous
            guard day <= CivilTime.daysInMonth(year: year, month: month) else { continue }
            let dayOfYear = CivilTime.daysBeforeMonth(month, leap: CivilTime.isLeap(year)) + day - 1
            let seconds = start + dayOfYear * CivilTime.secondsPerDay + secondOfDay
            if seconds <= latestSeconds { return seconds }
        }
        var year = referenceYear - 2
        // Feb 29 may have to go back to the previous leap year, at most 8 years away.
        while year >= referenceYear - 8 {
            if day <= CivilTime.daysInMonth(year: year, month: month) {
                let seconds = CivilTime.days(year: year, month: month, day: day) * CivilTime.secondsPerDay
                    + secondOfDay - Int64(timeZoneOffsetSeconds)
                if seconds <= latestSeconds { return seconds }
            }
            year -= 1
        }
        return nil
    }

    /// `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm|±hhmm)` at `i`: UTC ns and the index after it.
    func rfc3339Timestamp(_ b: Bytes, _ i: Int, _ end: Int) -> (nanoseconds: Int64, next: Int)? {
        guard end - i >= 20,
              let year = b.decimal(i, i + 4, limit: 9999), b[i + 4] == UInt8(ascii: "-"),
              let month = b.decimal(i + 5, i + 7, limit: 12), month >= 1, b[i + 7] == UInt8(ascii: "-"),
              let day = b.decimal(i + 8, i + 10, limit: 31), day >= 1,
              day <= CivilTime.daysInMonth(year: Int64(year), month: Int64(month)),
              b[i + 10] | 0x20 == UInt8(ascii: "t"),
              let (secondOfDay, afterClock) = Self.clock(b, i + 11, end) else { return nil }
        var j = afterClock
        var fraction: Int64 = 0
        if j < end && b[j] == ASCII.dot {
            let digitsEnd = b.digitsEnd(from: j + 1, end: end)
            guard digitsEnd > j + 1 else { return nil }
            // Nanoseconds from the first nine digits; finer digits are dropped.
            var scale: Int64 = 100_000_000
            for k in (j + 1)..<min(digitsEnd, j + 10) {
                fraction += Int64(b[k] - ASCII.zero) * scale
                scale /= 10
            }
            j = digitsEnd
        }
        guard j < end else { return nil }
        var offset: Int64 = 0
        if b[j] | 0x20 == UInt8(ascii: "z") {
            j += 1
        } else {
            guard b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: "-"), end - j >= 5,
                  let hours = b.decimal(j + 1, j + 3, limit: 23) else { return nil }
            var minutesAt = j + 3
            if b[minutesAt] == ASCII.colon { minutesAt += 1 }
            guard minutesAt + 2 <= end, let minutes = b.decimal(minutesAt, minutesAt + 2, limit: 59) else { return nil }
            offset = Int64(hours * 3600 + minutes * 60) * (b[j] == UInt8(ascii: "-") ? -1 : 1)
            j = minutesAt + 2
        }
        let seconds = CivilTime.days(year: Int64(year), month: Int64(month), day: Int64(day)) * CivilTime.secondsPerDay
            + secondOfDay - offset
        guard let nanoseconds = CivilTime.nanoseconds(seconds: seconds, fraction: fraction) else { return nil }
        return (nanoseconds, j)
    }

    /// `hh:mm:ss` at `i` (a leap second 60 is accepted): seconds of the day and the index after.
    static func clock(_ b: Bytes, _ i: Int, _ end: Int) -> (Int64, Int)? {
        guard end - i >= 8, b[i + 2] == ASCII.colon, b[i + 5] == ASCII.colon,
              let hours = b.decimal(i, i + 2, limit: 23),
              let minutes = b.decimal(i + 3, i + 5, limit: 59),
              let seconds = b.decimal(i + 6, i + 8, limit: 60) else { return nil }
        return (Int64(hours * 3600 + minutes * 60 + seconds), i + 8)
    }

    /// 1...12 for an English three-letter month abbreviation.
    static func month(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        switch UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c) {
        case 0x4A616E: 1   // Jan
        case 0x466562: 2   // Feb
        case 0x4D6172: 3   // Mar
        case 0x417072: 4   // Apr
        case 0x4D6179: 5   // May
        case 0x4A756E: 6   // Jun
        case 0x4A756C: 7   // Jul
        case 0x417567: 8   // Aug
        case 0x536570: 9   // Sep
        case 0x4F6374: 10  // Oct
        case 0x4E6F76: 11  // Nov
        case 0x446563: 12  // Dec
        default: nil
        }
    }
}
