import Testing
import SSHLog

/// The real OpenSSH corpus against its labels (expected.jsonl) and the README's tables.
@Suite("sshd corpus")
struct CorpusTests {
    static let logs = [Fixtures.traditionalLog, Fixtures.rfc3339Log]

    /// Every line's kind, ip and user as derive-expected.py labeled them.
    @Test("every line matches expected.jsonl", arguments: logs)
    func everyLineMatchesExpected(log: String) throws {
        let expected = try Fixtures.expected()
        let lines = try Fixtures.lines(log)
        #expect(lines.count == 587)
        #expect(expected.count == lines.count)
        let parser = SSHLogLineParser(reference: Fixtures.corpusReference)
        var mismatches: [String] = []
        for (want, line) in zip(expected, lines) {
            // The two files differ only in the timestamp, so the labels fit both.
            let wantBody = want.text.split(separator: " ", maxSplits: 3).last.map(String.init)
            let body = line.text.split(separator: " ", maxSplits: log == Fixtures.traditionalLog ? 3 : 1).last.map(String.init)
            guard wantBody == body else {
                mismatches.append("line \(want.line): log line does not belong to its label: \(line.text)")
                continue
            }
            let got = parseLine(parser, line)
            let wantIP = want.ip.map { IPAddress($0)?.description ?? "<unparsable \($0)>" }
            if got?.kind.name != want.event || got?.address?.description != wantIP || got?.user != want.user {
                mismatches.append("""
                    line \(want.line): want \(want.event ?? "null") ip=\(wantIP ?? "null") user=\(show(want.user)) \
                    got \(got?.kind.name ?? "null") ip=\(got?.address?.description ?? "null") user=\(show(got?.user))
                      \(line.text)
                    """)
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches in \(log):\n\(mismatches.joined(separator: "\n"))")
    }

    /// A username for a failure message: quoted and escaped, or null.
    func show(_ user: String?) -> String {
        user.map { $0.debugDescription } ?? "null"
    }

    /// The per-kind, per-run counts of the README table "Counts per kind".
    @Test("per-kind totals equal the README table", arguments: logs)
    func perKindTotals(log: String) throws {
        let readme = try Fixtures.readme()
        let counts = Fixtures.table(after: "## Counts per kind", in: readme)
        let runs = Fixtures.table(after: "-o LogLevel=<level>`", in: readme).map { row -> ClosedRange<Int> in
            let bounds = row[1].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            return bounds[0]...bounds[1]
        }
        try #require(counts.count == SSHEventKind.allCases.count + 1, "README table has a row per kind and null")
        try #require(runs.count == 3)

        let parser = SSHLogLineParser(reference: Fixtures.corpusReference)
        let kinds = try Fixtures.lines(log).map { parseLine(parser, $0)?.kind.name ?? "null" }
        for row in counts {
            let name = row[0].trimmingCharacters(in: .init(charactersIn: "`"))
            if name != "null" { #expect(SSHEventKind(name: name) != nil, "unknown kind \(name)") }
            let total = kinds.filter { $0 == name }.count
            #expect(total == Fixtures.leadingInteger(row[4]), "\(name) total in \(log)")
            for (run, lines) in runs.enumerated() {
                let inRun = lines.filter { kinds[$0 - 1] == name }.count
                #expect(inRun == Fixtures.leadingInteger(row[run + 1]), "\(name) in run \(run + 1) of \(log)")
            }
        }
    }

    /// The README table "By address, over event lines only".
    @Test("per-address totals equal the README table", arguments: logs)
    func perAddressTotals(log: String) throws {
        let rows = Fixtures.table(after: "By address, over event lines only", in: try Fixtures.readme())
        try #require(rows.count == 6)
        let parser = SSHLogLineParser(reference: Fixtures.corpusReference)
        let events = try Fixtures.lines(log).compactMap { parseLine(parser, $0) }
        for row in rows {
            let address = row[0] == "ip null" ? nil : IPAddress(row[0])
            if row[0] != "ip null" { try #require(address != nil, "README address \(row[0])") }
            let count = events.filter { $0.address == address }.count
            #expect(count == Fixtures.leadingInteger(row[1]), "events from \(row[0]) in \(log)")
        }
    }

    /// Both files carry the same instants: the traditional log to the second (year inferred),
    /// the RFC 3339 log to the microsecond.
    @Test("timestamps of both logs agree")
    func timestampsAgree() throws {
        let syslog = SyslogParser(reference: Fixtures.corpusReference)
        let traditional = try Fixtures.lines(Fixtures.traditionalLog)
        let rfc3339 = try Fixtures.lines(Fixtures.rfc3339Log)
        for (number, (a, b)) in zip(traditional, rfc3339).enumerated() {
            let classic = a.withUnsafeBufferPointer { syslog.parse($0) }
            let precise = b.withUnsafeBufferPointer { syslog.parse($0) }
            guard let classic, let precise else {
                Issue.record("line \(number + 1) has no syslog header")
                continue
            }
            #expect(classic.timeNs == precise.timeNs / 1_000_000_000 * 1_000_000_000, "line \(number + 1)")
            #expect(classic.host == "bastion" && precise.host == "bastion")
            #expect(classic.process == precise.process && classic.pid == precise.pid)
            #expect(a[classic.messageRange].text == b[precise.messageRange].text, "line \(number + 1)")
        }
        // 2026-11-26T08:22:21.730173Z, the first line of the capture.
        let first = rfc3339[0].withUnsafeBufferPointer { syslog.parse($0) }
        #expect(first?.timeNs == 1_795_681_341_730_173_000)
    }

    /// The header fields reach the event.
    @Test("events carry process, pid, host and port")
    func eventFields() throws {
        let parser = SSHLogLineParser(reference: Fixtures.corpusReference)
        let lines = try Fixtures.lines(Fixtures.traditionalLog)
        let event = try #require(parseLine(parser, lines[26]))  // line 27: Invalid user admin
        #expect(event == SSHLogEvent(kind: .invalidUser, timeNs: event.timeNs, address: IPAddress("198.51.100.66"),
                                     port: 56690, user: "admin", process: "sshd", host: "bastion", pid: 17673))
    }
}
