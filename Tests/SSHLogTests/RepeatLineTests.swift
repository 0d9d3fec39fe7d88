import Testing
import SSHLog

/// Lines that only repeat a failure another line reports are marked, so the
/// threshold counts one password guess once, not once per log line.
@Suite("repeat lines")
struct RepeatLineTests {
    /// The messages that echo another line: PAM's three failure forms and
    /// sshd's disconnect after max tries.
    static func isEcho(_ text: String) -> Bool {
        text.contains("pam_unix(sshd:auth): authentication failure")
            || text.contains("more authentication failure")
            || text.contains("error: PAM: ")
            || text.hasSuffix(": Too many authentication failures [preauth]")
    }

    @Test("exactly the echo lines of the corpus are repeats", arguments: [Fixtures.traditionalLog, Fixtures.rfc3339Log])
    func echoLinesAreRepeats(log: String) throws {
        let parser = SSHLogLineParser(reference: Fixtures.corpusReference)
        var repeats = 0
        var wrong: [String] = []
        for line in try Fixtures.lines(log) {
            guard let event = line.withUnsafeBufferPointer({ parser.parse($0) }) else { continue }
            let text = String(decoding: line, as: UTF8.self)
            if event.isRepeat { repeats += 1 }
            if event.isRepeat != Self.isEcho(text) { wrong.append("isRepeat=\(event.isRepeat): \(text)") }
        }
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
        // 63 pam_unix + 5 "PAM N more" + 5 "error: PAM:" (README) + the max-tries disconnects.
        #expect(repeats >= 73)
    }

    @Test func sshdOwnFailureIsNotARepeat() throws {
        let m = try #require(SSHMessageParser.parse("Failed password for root from 198.51.100.7 port 4242 ssh2"))
        #expect(!m.isRepeat)
        let pam = try #require(SSHMessageParser.parse(
            "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.7  user=root"))
        #expect(pam.isRepeat && pam.kind == .authFailure)
        let other = try #require(SSHMessageParser.parse(
            "Disconnecting invalid user admin 198.51.100.7 port 4242: Change of username or service not allowed: (a,b) -> (c,d) [preauth]"))
        #expect(!other.isRepeat)
    }
}
