import Testing
import SSHLog

@Suite("SyslogParser")
struct SyslogParserTests {
    static let nanos: Int64 = 1_000_000_000
    /// 2026-12-31T23:59:00Z and 2027-01-01T00:00:30Z.
    static let newYearsEve: Int64 = 1_798_761_540 * nanos
    static let newYearsDay: Int64 = 1_798_761_630 * nanos

    func header(_ line: String, reference: Int64 = Fixtures.corpusReference, offset: Int = 0) -> SyslogLine? {
        SyslogParser(reference: reference, timeZoneOffsetSeconds: offset).parse(line)
    }

    @Test("classic header")
    func classic() throws {
        let line = "Nov 26 08:22:23 bastion sshd[17652]: Accepted password for siemtest"
        let h = try #require(header(line))
        // 2026-11-26T08:22:23Z
        #expect(h.timeNs == 1_795_681_343 * Self.nanos)
        #expect(h.host == "bastion")
        #expect(h.process == "sshd")
        #expect(h.pid == 17652)
        #expect(Array(line.utf8)[h.messageRange].text == "Accepted password for siemtest")
    }

    @Test("RFC 3339 header and its offsets", arguments: [
        ("2026-11-26T08:22:23.412345+00:00", 1_795_681_343_412_345_000),
        ("2026-11-26T09:22:23.412345+01:00", 1_795_681_343_412_345_000),
        ("2026-11-26T03:22:23-0500", 1_795_681_343_000_000_000),
        ("2026-11-26T08:22:23Z", 1_795_681_343_000_000_000),
        ("2026-11-26T08:22:23.1234567891+00:00", 1_795_681_343_123_456_789),
    ] as [(String, Int64)])
    func rfc3339(stamp: String, expected: Int64) throws {
        let h = try #require(header("\(stamp) bastion sshd-session[9]: x"))
        #expect(h.timeNs == expected)
        #expect(h.process == "sshd-session")
    }

    @Test("year inference around New Year")
    func newYear() throws {
        // A Dec 31 line read on Jan 1 belongs to the year before.
        let late = try #require(header("Dec 31 23:59:59 h sshd[1]: x", reference: Self.newYearsDay))
        #expect(late.timeNs == 1_798_761_599 * Self.nanos)  // 2026-12-31T23:59:59Z
        // A Jan 1 line read on Dec 31 23:59 (clocks apart) belongs to the year after.
        let early = try #require(header("Jan  1 00:00:30 h sshd[1]: x", reference: Self.newYearsEve))
        #expect(early.timeNs == 1_798_761_630 * Self.nanos)  // 2027-01-01T00:00:30Z
        // The normal case: the reference year.
        let normal = try #require(header("Nov 26 08:22:23 h sshd[1]: x"))
        #expect(normal.timeNs == 1_795_681_343 * Self.nanos)
        // A time up to a day ahead stays in this year, more than a day ahead goes back a year.
        let tomorrow = try #require(header("Nov 27 08:00:00 h sshd[1]: x"))
        #expect(tomorrow.timeNs == (1_795_651_200 + 86_400 + 8 * 3600) * Self.nanos)
        let nextWeek = try #require(header("Dec  3 08:00:00 h sshd[1]: x"))
        #expect(nextWeek.timeNs == (1_795_651_200 + 7 * 86_400 + 8 * 3600 - 365 * 86_400) * Self.nanos)
    }

    @Test("Feb 29 goes to the latest leap year")
    func leapDay() throws {
        // Reference 2026-11-26: the last Feb 29 was in 2024 (2024-02-29T00:00:00Z = 1709164800).
        let h = try #require(header("Feb 29 00:00:00 h sshd[1]: x"))
        #expect(h.timeNs == 1_709_164_800 * Self.nanos)
        #expect(header("Feb 30 00:00:00 h sshd[1]: x") == nil)
    }

    @Test("classic timestamps are local time")
    func timeZone() throws {
        let h = try #require(header("Nov 26 09:22:23 bastion sshd[1]: x", offset: 3600))
        #expect(h.timeNs == 1_795_681_343 * Self.nanos)
    }

    @Test("extreme references and offsets do not crash")
    func extremes() {
        for reference in [Int64.min, -1, 0, Int64.max] {
            for offset in [Int.min, -50_400, 0, 50_400, Int.max] {
                let parser = SyslogParser(reference: reference, timeZoneOffsetSeconds: offset)
                for line in ["Jan  1 00:00:00 h sshd[1]: x", "Dec 31 23:59:59 h sshd[1]: x", "Feb 29 12:00:00 h sshd[1]: x"] {
                    _ = parser.parse(line)
                }
            }
        }
        // Int64 nanoseconds end at 2262-04-11T23:47:16.854775807Z: the last whole second
        // is representable, the next one is not a time at all.
        let last = SyslogParser(reference: Int64.max).parse("Apr 11 23:47:16 h sshd[1]: x")
        #expect(last?.timeNs == 9_223_372_036_000_000_000)
        #expect(SyslogParser(reference: Int64.max).parse("Apr 11 23:47:17 h sshd[1]: x") == nil)
    }

    @Test("tag variants")
    func tags() throws {
        let noPid = try #require(header("Nov 26 08:22:23 bastion sshd: Server listening"))
        #expect(noPid.process == "sshd" && noPid.pid == nil)
        let withPriority = try #require(header("<38>Nov 26 08:22:23 bastion sshd-auth[5]: x\r\n"))
        #expect(withPriority.process == "sshd-auth" && withPriority.pid == 5)
        #expect(Array("<38>Nov 26 08:22:23 bastion sshd-auth[5]: x\r\n".utf8)[withPriority.messageRange].text == "x")
        let emptyMessage = try #require(header("Nov 26 08:22:23 bastion sshd[1]:"))
        #expect(emptyMessage.messageRange.isEmpty)
    }

    @Test("not syslog", arguments: [
        "", "Nov", "Nov 26 08:22:23", "Nov 26 08:22:23 bastion", "Nov 26 08:22:23 bastion sshd",
        "Nov 26 08:22:23 bastion sshd[12: x", "Nov 26 08:22:23 bastion sshd[]: x", "Nov 26 08:22:23 bastion [1]: x",
        "Xyz 26 08:22:23 bastion sshd[1]: x", "Nov 32 08:22:23 bastion sshd[1]: x", "Nov 26 24:00:00 bastion sshd[1]: x",
        "2026-13-26T08:22:23Z bastion sshd[1]: x", "2026-11-26T08:22:23 bastion sshd[1]: x",
        "2026-11-26T08:22:23+25:00 bastion sshd[1]: x", "9999-12-31T23:59:59Z bastion sshd[1]: x",
        "-- Logs begin at Thu 2026-11-26 08:00:00 UTC. --",
    ])
    func notSyslog(line: String) {
        #expect(header(line) == nil, "\(line.debugDescription)")
    }
}
