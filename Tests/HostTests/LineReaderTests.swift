import Foundation
import Testing
@testable import Host

/// check-log and replay read files through the tailer's bounded splitter:
/// line numbers stay true across empty and dropped lines, and a file with no
/// newlines cannot grow memory.
@Suite("line reader")
struct LineReaderTests {
    static func read(_ bytes: [UInt8], chunk: Int, max: Int = 16) throws -> (lines: [(String, Int)], dropped: Int) {
        try withScratchDirectory { root in
            let path = root + "/log"
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let fd = open(path, O_RDONLY)
            defer { close(fd) }
            var lines: [(String, Int)] = []
            let dropped = try LineReader(fd: fd, chunkSize: chunk, maxLineBytes: max).forEachLine {
                lines.append((String(decoding: $0, as: UTF8.self), $1))
            }
            return (lines, dropped)
        }
    }

    @Test("numbers count empty and overlong lines; the last line needs no newline", arguments: [1, 3, 7, 4096])
    func numbering(chunk: Int) throws {
        let text = "one\n\n" + String(repeating: "x", count: 40) + "\nfour\r\nfive"
        let (lines, dropped) = try Self.read(Array(text.utf8), chunk: chunk)
        #expect(lines.map(\.0) == ["one", "four", "five"])
        #expect(lines.map(\.1) == [1, 4, 5])
        #expect(dropped == 1)
    }

    @Test func fileWithoutNewlinesIsDroppedNotBuffered() throws {
        let (lines, dropped) = try Self.read([UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20), chunk: 4096)
        #expect(lines.isEmpty)
        #expect(dropped == 1)
    }
}
