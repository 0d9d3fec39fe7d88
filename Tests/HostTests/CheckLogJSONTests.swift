import Foundation
import Testing
@testable import Host
import SSHLog

/// The bytes `check-log --json` writes per event, including fields at their
/// edges (no address, no port, escapes, a line longer than the output block).
@Suite("check-log JSON lines")
struct CheckLogJSONTests {
    /// What `CheckLogJSON` writes for `events`, through an `OutputBuffer` into a file.
    static func render(file: String, _ events: [(SSHLogEvent, Int)]) throws -> String {
        let path = NSTemporaryDirectory() + "check-log-json-\(UUID().uuidString)"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        defer { unlink(path) }
        var out = OutputBuffer()
        out.fd = fd
        let json = CheckLogJSON(file: file)
        for (event, number) in events { json.append(event, number: number, to: &out) }
        out.flush()
        close(fd)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func exactBytes() throws {
        let ns: Int64 = 1_795_694_400_123_456_789
        let full = SSHLogEvent(kind: .invalidUser, timeNs: ns, address: IPAddress("2001:db8::7"), port: 65535,
                               user: "a\"b\\c\n\u{1}", process: "sshd-session", host: "h", pid: 1)
        let bare = SSHLogEvent(kind: .preauthDisconnect, timeNs: -1, address: nil, port: nil, user: nil,
                               process: "sshd", host: "h", pid: nil)
        let mapped = SSHLogEvent(kind: .authFailure, timeNs: 0, address: IPAddress("::ffff:198.51.100.7"), port: 0,
                                 user: "root", process: "sshd", host: "h", pid: nil)
        let text = try Self.render(file: "logs/a \"b\".log", [(full, 1), (bare, 1_234_567_890), (mapped, Int.max)])
        #expect(text == """
            {"line":1,"file":"logs/a \\"b\\".log","kind":"invalid_user","ip":"2001:db8::7","port":65535,\
            "user":"a\\"b\\\\c\\n\\u0001","time":"\(Timestamp.iso8601(ns))","process":"sshd-session"}
            {"line":1234567890,"file":"logs/a \\"b\\".log","kind":"preauth_disconnect","ip":null,"port":null,\
            "user":null,"time":"1969-12-31T23:59:59.999Z","process":"sshd"}
            {"line":9223372036854775807,"file":"logs/a \\"b\\".log","kind":"auth_failure","ip":"198.51.100.7",\
            "port":0,"user":"root","time":"1970-01-01T00:00:00.000Z","process":"sshd"}

            """)
    }

    @Test func everyKindIsNamedAsInTheStore() throws {
        let events = SSHEventKind.allCases.map {
            (SSHLogEvent(kind: $0, timeNs: 0, address: nil, port: nil, user: nil, process: "sshd", host: "h", pid: nil), 1)
        }
        let lines = try Self.render(file: "f", events).split(separator: "\n")
        for (line, kind) in zip(lines, SSHEventKind.allCases) {
            #expect(line.contains(#""kind":"\#(kind.name)","#))
        }
    }

    /// A user of control characters quotes to six bytes each: more than one output block.
    @Test func lineLongerThanTheBlock() throws {
        let user = String(repeating: "\u{1f}x", count: 200_000)
        let event = SSHLogEvent(kind: .invalidUser, timeNs: 0, address: IPAddress("10.0.0.1"), port: 22,
                                user: user, process: "sshd", host: "h", pid: nil)
        let text = try Self.render(file: "f", [(event, 1), (event, 2)])
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["user"] as? String == user)
        }
    }
}
