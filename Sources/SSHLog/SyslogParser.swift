/// Splits syslog lines into header and message.
///
/// Accepts `[<PRI>]TIMESTAMP HOST TAG[PID]: MESSAGE` with either timestamp format of rsyslog
/// (and journalctl's short/short-iso outputs). The tag may lack a pid (`sshd: ...`). A
/// trailing "\n" or "\r\n" is ignored.
public struct SyslogParser: Sendable {
    /// "Now", UTC nanoseconds since the epoch; the classic format's year is inferred from it.
    public let reference: Int64
    /// Offset of the local time the classic format is written in, seconds east of UTC.
    public let timeZoneOffsetSeconds: Int

    let referenceYear: Int64
    /// The latest UTC second a year-less time may fall on: a day after the reference.
    let latestSeconds: Int64
    /// UTC second of local Jan 1 00:00 in the years around the reference.
    let yearStarts: (next: Int64, this: Int64, previous: Int64)

    /// `reference`: "now" in ns; the classic format has no year, so the year is chosen so the
    /// time is not more than ~1 day after `reference` (Dec 31 lines read on Jan 1 belong to
    /// last year). `timeZoneOffsetSeconds`: the zone classic timestamps are written in (RFC
    /// 3339 timestamps carry their own offset; real zones lie within ±26 h, larger values are
    /// clamped to that).
    public init(reference: Int64, timeZoneOffsetSeconds: Int = 0) {
        self.reference = reference
        // Clamped so that no offset, however wrong, can overflow the arithmetic below.
        let offset = Int64(min(max(timeZoneOffsetSeconds, -93_600), 93_600))
        self.timeZoneOffsetSeconds = Int(offset)
        let referenceSeconds = CivilTime.floorDivide(reference, CivilTime.nanosPerSecond)
        let year = CivilTime.year(ofDays: CivilTime.floorDivide(referenceSeconds + offset, CivilTime.secondsPerDay))
        referenceYear = year
        latestSeconds = referenceSeconds + CivilTime.secondsPerDay
        func start(_ y: Int64) -> Int64 {
            CivilTime.days(year: y, month: 1, day: 1) * CivilTime.secondsPerDay - offset
        }
        yearStarts = (start(year + 1), start(year), start(year - 1))
    }

    /// Splits one line; nil when it is not a syslog line.
    public func parse(_ line: UnsafeBufferPointer<UInt8>) -> SyslogLine? {
        guard let f = parseFields(line) else { return nil }
        return SyslogLine(timeNs: f.timeNs,
                          host: line.string(f.hostRange.lowerBound, f.hostRange.upperBound),
                          process: line.string(f.processRange.lowerBound, f.processRange.upperBound),
                          pid: f.pid, messageRange: f.messageRange)
    }

    /// Splits one line; `messageRange` counts UTF-8 bytes of `line`.
    public func parse(_ line: String) -> SyslogLine? {
        var text = line
        return text.withUTF8 { parse($0) }
    }

    /// Splits one line into byte ranges without allocating.
    public func parseFields(_ b: UnsafeBufferPointer<UInt8>) -> SyslogFields? {
        var end = b.count
        while end > 0 && (b[end - 1] == ASCII.newline || b[end - 1] == ASCII.carriageReturn) { end -= 1 }
        var i = 0
        guard i < end else { return nil }
        if b[0] == ASCII.lessThan {
            let priorityEnd = b.digitsEnd(from: 1, end: min(end, 4))
            guard priorityEnd > 1, priorityEnd < end, b[priorityEnd] == ASCII.greaterThan else { return nil }
            i = priorityEnd + 1
            guard i < end else { return nil }
        }
        let timeNs: Int64
        if ASCII.isDigit(b[i]) {
            guard let (nanoseconds, next) = rfc3339Timestamp(b, i, end) else { return nil }
            timeNs = nanoseconds
            i = next
        } else {
            guard let (seconds, next) = classicTimestamp(b, i, end),
                  let nanoseconds = CivilTime.nanoseconds(seconds: seconds) else { return nil }
            timeNs = nanoseconds
            i = next
        }
        guard i < end, b[i] == ASCII.space else { return nil }
        let hostStart = i + 1
        let hostEnd = b.tokenEnd(from: hostStart, end: end)
        guard hostEnd > hostStart, hostEnd < end else { return nil }
        let processStart = hostEnd + 1
        var k = processStart
        while k < end, b[k] != ASCII.openBracket, b[k] != ASCII.colon, b[k] != ASCII.space { k += 1 }
        let processEnd = k
        guard processEnd > processStart, k < end else { return nil }
        var pid: Int64?
        if b[k] == ASCII.openBracket {
            let pidEnd = b.digitsEnd(from: k + 1, end: end)
            guard pidEnd < end, b[pidEnd] == ASCII.closeBracket,
                  let value = b.decimal(k + 1, pidEnd, limit: UInt64(Int64.max / 10)) else { return nil }
            pid = Int64(value)
            k = pidEnd + 1
        }
        guard k < end, b[k] == ASCII.colon else { return nil }
        k += 1
        if k < end && b[k] == ASCII.space { k += 1 }
        return SyslogFields(timeNs: timeNs, hostRange: hostStart..<hostEnd,
                            processRange: processStart..<processEnd, pid: pid, messageRange: k..<end)
    }
}
