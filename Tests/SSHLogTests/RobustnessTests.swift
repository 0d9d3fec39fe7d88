import Testing
import SSHLog

/// Truncated, mutated and random input must never crash or read out of bounds (debug builds
/// check every buffer access), and must never invent an address that is not in the line.
@Suite("robustness")
struct RobustnessTests {
    static let parser = SSHLogLineParser(reference: Fixtures.corpusReference)

    /// Parses `bytes` in a buffer of exactly that size, so any overread traps.
    @discardableResult
    func parseExactly(_ bytes: [UInt8]) -> SSHLogEvent? {
        let event = parseLine(Self.parser, bytes)
        if let address = event?.address {
            let tokens = bytes.split { " []=".utf8.contains($0) }
            let found = tokens.contains { token in token.withUnsafeBufferPointer { IPAddress(bytes: $0) } == address }
            #expect(found, "address \(address) of \(bytes.text.debugDescription) is not a token of the line")
        }
        return event
    }

    @Test("every prefix of every corpus line", arguments: CorpusTests.logs)
    func prefixes(log: String) throws {
        for line in try Fixtures.lines(log) {
            for length in 0...line.count {
                parseExactly(Array(line[0..<length]))
            }
        }
    }

    @Test("every prefix and suffix of every message")
    func messageSlices() throws {
        let syslog = SyslogParser(reference: Fixtures.corpusReference)
        for line in try Fixtures.lines(Fixtures.traditionalLog) {
            guard let header = line.withUnsafeBufferPointer({ syslog.parse($0) }) else { continue }
            let message = Array(line[header.messageRange])
            for cut in 0...message.count {
                for piece in [Array(message[0..<cut]), Array(message[cut...])] {
                    _ = piece.withUnsafeBufferPointer { SSHMessageParser.parse($0) }
                }
            }
        }
    }

    @Test("random bytes and mutated corpus lines")
    func randomInput() throws {
        var random = SplitMix64(seed: 0x5EED)
        let lines = try Fixtures.lines(Fixtures.traditionalLog) + Fixtures.lines(Fixtures.rfc3339Log)
        let alphabet = Array(" :.[]0123456789abcdefport from ssh2 user".utf8) + [0, 0xFF, 0x80, 0x0A, 0x0D]
        for round in 0..<60_000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int(random.next() % 200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                bytes = lines[Int(random.next() % UInt64(lines.count))]
                for _ in 0..<(1 + random.next() % 4) where !bytes.isEmpty {
                    let at = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 4 {
                    case 0: bytes[at] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                    case 1: bytes.remove(at: at)
                    case 2: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: at)
                    default: bytes.removeSubrange(at...)
                    }
                }
            }
            parseExactly(bytes)
            _ = bytes.withUnsafeBufferPointer { SSHMessageParser.parse($0) }
            _ = bytes.withUnsafeBufferPointer { IPAddress(bytes: $0) }
            _ = bytes.withUnsafeBufferPointer { CIDR(bytes: $0) }
        }
    }

    @Test("huge lines and digit runs")
    func hugeInput() {
        let digits = String(repeating: "9", count: 10_000)
        let lines = [
            "Nov 26 08:22:23 bastion sshd[\(digits)]: Invalid user x from 1.2.3.4 port 22",
            "Nov 26 08:22:23 bastion sshd[1]: Invalid user x from 1.2.3.4 port \(digits)",
            "Nov 26 08:22:23 bastion sshd[1]: PAM \(digits) more authentication failures; logname= uid=\(digits) euid=0 tty=ssh ruser= rhost=1.2.3.4",
            "Nov 26 08:22:23 bastion sshd[1]: Invalid user \(String(repeating: "from 1.2.3.4 port 22 ", count: 2_000))from 5.6.7.8 port 9",
            "Nov 26 08:22:23 bastion sshd[1]: Failed publickey for x from 5.6.7.8 port 9 ssh2: \(String(repeating: "from 1.2.3.4 port 1 ssh2: ", count: 2_000))",
            "\(digits)-11-26T08:22:23Z bastion sshd[1]: x",
        ]
        let events = lines.map { parseExactly(Array($0.utf8)) }
        #expect(events[0] == nil)
        #expect(events[1]?.kind == .invalidUser && events[1]?.port == nil)
        #expect(events[2]?.kind == .authFailure)
        #expect(events[3]?.address == IPAddress("5.6.7.8"))
        #expect(events[4]?.address == IPAddress("5.6.7.8"))
        #expect(events[5] == nil)
    }
}
