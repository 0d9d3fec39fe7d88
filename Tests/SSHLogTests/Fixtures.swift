import Foundation
import SSHLog

/// The sshd corpus in Fixtures/sshd, found next to this file (no SwiftPM resources).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/sshd")

    /// 2026-11-26T12:00:00Z, the day the corpus was captured.
    static let corpusReference: Int64 = 1_795_694_400 * 1_000_000_000

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    /// The lines of a log file as raw bytes, without their "\n".
    static func lines(_ name: String) throws -> [[UInt8]] {
        let bytes = [UInt8](try data(name))
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    static let traditionalLog = "openssh-debian12-traditional.log"
    static let rfc3339Log = "openssh-debian12-rfc3339.log"

    /// One labeled line of openssh-debian12-expected.jsonl.
    struct Expected: Decodable {
        let line: Int
        let text: String
        let event: String?
        let ip: String?
        let user: String?
    }

    static func expected() throws -> [Expected] {
        let decoder = JSONDecoder()
        return try data("openssh-debian12-expected.jsonl")
            .split(separator: UInt8(ascii: "\n"))
            .map { try decoder.decode(Expected.self, from: Data($0)) }
    }

    static func readme() throws -> String {
        String(decoding: try data("README.md"), as: UTF8.self)
    }

    /// The body rows (no header, no separator) of the first Markdown table after `heading`,
    /// as trimmed cells.
    static func table(after heading: String, in text: String) -> [[String]] {
        guard let start = text.range(of: heading) else { return [] }
        var rows: [[String]] = []
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("|") {
                let cells = trimmed.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                if !(cells.first?.hasPrefix("---") ?? false) { rows.append(cells) }
            } else if !rows.isEmpty {
                break
            }
        }
        return Array(rows.dropFirst())
    }

    /// The leading integer of a cell such as "**175**" or "68 (+8 before run 1)".
    static func leadingInteger(_ cell: String) -> Int? {
        Int(cell.drop { !$0.isNumber }.prefix { $0.isNumber })
    }
}

extension Collection<UInt8> {
    var text: String { String(decoding: self, as: UTF8.self) }
}

/// Parses `bytes` as one full line.
func parseLine(_ parser: SSHLogLineParser, _ bytes: [UInt8]) -> SSHLogEvent? {
    bytes.withUnsafeBufferPointer { parser.parse($0) }
}
