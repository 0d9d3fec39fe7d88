import Foundation
import Testing
@testable import SSHSource
import SSHLog

/// Feeds `input` in chunks of the given sizes (cycled) and collects the lines.
private func split(_ input: [UInt8], chunks: [Int], max: Int = 16 * 1024) -> (lines: [String], splitter: LineSplitter) {
    var splitter = LineSplitter(maxLineBytes: max)
    var lines: [String] = []
    var at = 0, i = 0
    while at < input.count {
        let n = Swift.min(chunks[i % chunks.count], input.count - at)
        input[at..<(at + n)].withUnsafeBufferPointer { chunk in
            splitter.feed(chunk) { lines.append(String(decoding: $0, as: UTF8.self)) }
        }
        at += n
        i += 1
    }
    return (lines, splitter)
}

@Test(arguments: [[1], [2], [3], [7], [13], [1, 64 * 1024], [5, 1, 9, 2], [4096], [64 * 1024]])
func corpusSplitsTheSameInAnyChunkSizes(chunks: [Int]) throws {
    let text = try String(contentsOfFile: "/work/shared/testdata/sshd/openssh-debian12-traditional.log", encoding: .utf8)
    let expected = text.split(separator: "\n").map(String.init)
    let (lines, splitter) = split(Array(text.utf8), chunks: chunks)
    #expect(lines == expected)
    #expect(splitter.partialLength == 0)
}

@Test func unfinishedLineIsKeptUntilItsNewline() {
    var s = LineSplitter(maxLineBytes: 100)
    var lines: [String] = []
    Array("abc\nde".utf8).withUnsafeBufferPointer { s.feed($0) { lines.append(String(decoding: $0, as: UTF8.self)) } }
    #expect(lines == ["abc"])
    #expect(s.partialLength == 2)
    Array("f\n".utf8).withUnsafeBufferPointer { s.feed($0) { lines.append(String(decoding: $0, as: UTF8.self)) } }
    #expect(lines == ["abc", "def"])
    #expect(s.partialLength == 0)
}

@Test(arguments: [[1], [3], [10], [1000]])
func overlongLinesAreDroppedWholeAndCounted(chunks: [Int]) {
    let input = Array("short\n\(String(repeating: "x", count: 50))\nafter\n\(String(repeating: "y", count: 20))\nend\n".utf8)
    let (lines, splitter) = split(input, chunks: chunks, max: 20)
    #expect(lines == ["short", "after", String(repeating: "y", count: 20), "end"])
    #expect(splitter.droppedLines == 1)
}

@Test func overlongUnfinishedLineCountsTowardsPartialLength() {
    var s = LineSplitter(maxLineBytes: 4)
    Array("123456789".utf8).withUnsafeBufferPointer { s.feed($0) { _ in Issue.record("no line expected") } }
    #expect(s.partialLength == 9)
    #expect(s.droppedLines == 1)
}

@Test func carriageReturnsAndEmptyLines() {
    let (lines, _) = split(Array("a\r\n\n\r\nb\n".utf8), chunks: [1])
    #expect(lines == ["a", "b"])
}

@Test func skipToNextLineDropsTheHalfLineBeforeTheStart() {
    var s = LineSplitter(maxLineBytes: 100)
    s.skipToNextLine()
    var lines: [String] = []
    Array("tail of old\nnew\n".utf8).withUnsafeBufferPointer { s.feed($0) { lines.append(String(decoding: $0, as: UTF8.self)) } }
    #expect(lines == ["new"])
    #expect(s.droppedLines == 0)
}

@Test func resetForgetsTheUnfinishedLine() {
    var s = LineSplitter(maxLineBytes: 100)
    Array("abc".utf8).withUnsafeBufferPointer { s.feed($0) { _ in } }
    #expect(s.reset() == 3)
    var lines: [String] = []
    Array("x\n".utf8).withUnsafeBufferPointer { s.feed($0) { lines.append(String(decoding: $0, as: UTF8.self)) } }
    #expect(lines == ["x"])
}

@Test func filePositionRoundTripsAndRejectsGarbage() {
    let p = FilePosition(device: 65024, inode: 42, offset: 1234)
    #expect(FilePosition(stateValue: p.stateValue) == p)
    #expect(FilePosition(stateValue: "1:2") == nil)
    #expect(FilePosition(stateValue: "1:2:-3") == nil)
    #expect(FilePosition(stateValue: "a:2:3") == nil)
}

@Test func configRejectsUnknownKeysByName() throws {
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(SourceConfig.self, from: Data(#"{"mdoe":"files"}"#.utf8)) }
    do {
        _ = try JSONDecoder().decode(SourceConfig.self, from: Data(#"{"mode":"files","mdoe":1}"#.utf8))
    } catch let DecodingError.dataCorrupted(context) {
        #expect(context.debugDescription.contains("'mdoe'"))
    }
    let c = try JSONDecoder().decode(SourceConfig.self, from: Data(#"{"mode":"journal","read_from_start":true,"journal_directory":"/x","max_line_bytes":4096}"#.utf8))
    #expect(c.mode == .journal && c.readFromStart && c.journalDirectory == "/x" && c.maxLineBytes == 4096)
    #expect(try JSONDecoder().decode(SourceConfig.self, from: Data("{}".utf8)) == SourceConfig())
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(SourceConfig.self, from: Data(#"{"max_line_bytes":1}"#.utf8)) }
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(SourceConfig.self, from: Data(#"{"mode":"tail"}"#.utf8)) }
}

@Test func authLogsDefaultsAndValidation() throws {
    #expect(try AuthLogs.paths(fromJSON: nil) == AuthLogs.defaults)
    #expect(try AuthLogs.paths(fromJSON: #"["/a","/b","/a"]"#) == ["/a", "/b"])
    #expect(throws: (any Error).self) { try AuthLogs.paths(fromJSON: #""/var/log/auth.log""#) }
    #expect(throws: (any Error).self) { try AuthLogs.paths(fromJSON: #"["relative.log"]"#) }
}
