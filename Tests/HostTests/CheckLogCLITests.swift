import Foundation
import Testing
@testable import Host
import SSHLog

/// `mini-siem check-log --json` on the real corpus agrees line by line with
/// the corpus labels, read from stdin and from a file.
@Suite("check-log on the corpus")
struct CheckLogCLITests {
    static let corpus = PluginFixture.repositoryRoot + "/Tests/SSHLogTests/Fixtures/sshd/"

    /// expected.jsonl rows that are events, by line number.
    static func expected() throws -> [Int: [String: Any]] {
        let text = try String(contentsOfFile: corpus + "openssh-debian12-expected.jsonl", encoding: .utf8)
        var rows: [Int: [String: Any]] = [:]
        for line in text.split(separator: "\n") {
            let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if !(row["event"] is NSNull) { rows[row["line"] as! Int] = row }
        }
        return rows
    }

    @Test("one JSON object per recognized line, matching expected.jsonl",
          arguments: ["openssh-debian12-traditional.log", "openssh-debian12-rfc3339.log"])
    func jsonMatchesLabels(log: String) throws {
        // A --config that does not exist is an error, not silent defaults.
        let missing = try CLITests.run("check-log", "--json", "--config", "/nonexistent/config.yaml", Self.corpus + log)
        #expect(missing.status != 0 && missing.stderr.contains("no such file"))
        let ok = try CLITests.run("check-log", "--json", Self.corpus + log)
        #expect(ok.status == 0, "\(ok.stderr)")
        let want = try Self.expected()
        let lines = ok.stdout.split(separator: "\n")
        #expect(lines.count == want.count)
        var mismatches: [String] = []
        for line in lines {
            let got = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let number = try #require(got["line"] as? Int)
            guard let row = want[number] else {
                mismatches.append("line \(number) is not an event in expected.jsonl")
                continue
            }
            let ip = (row["ip"] as? String).flatMap { IPAddress($0)?.description }
            if got["kind"] as? String != row["event"] as? String || got["ip"] as? String != ip
                || got["user"] as? String != row["user"] as? String || (got["time"] as? String)?.count != 24 {
                mismatches.append("line \(number): got \(line)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    @Test func stdinWorksAndSummaryNamesTheAttackers() throws {
        let log = try String(contentsOfFile: Self.corpus + "openssh-debian12-traditional.log", encoding: .utf8)
        let result = try runProgram(CLITests.executable, ["check-log", "--summary", "-"], input: log)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("587 lines, 404 events"))
        for attacker in ["198.51.100.66", "198.51.100.77", "2001:db8:51::66"] {
            #expect(result.stdout.contains(attacker))
        }
        #expect(!result.stdout.contains("198.51.100.10 "), "the trusted host only logged in")
    }
}
