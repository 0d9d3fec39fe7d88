import Foundation
import Testing
@testable import Host

/// Hand-built JSON (check-log --json, log values) must decode back to the
/// exact attacker text, whatever it holds.
@Suite("JSON quoting")
struct JSONTextTests {
    static let nasty = [
        "", "plain", "x from 198.51.100.10 port 22 ssh2", "quote\" back\\slash", "new\nline\ttab\rcr",
        "\u{1b}[31mred", "\u{7f}del\u{0}nul", "<script>alert(1)<", "j\\303\\266hn", "管理员", "100%admin %s%n",
    ]

    @Test("quote round-trips through JSONSerialization", arguments: nasty)
    func roundTrips(text: String) throws {
        var json = ""
        JSONText.quote(text, into: &json)
        let back = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) as? String
        #expect(back == text)
        #expect(!json.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f })
    }

    @Test("quoting in place writes the same bytes, within maxQuotedCount", arguments: nasty)
    func quoteInPlace(text: String) {
        var appended: [UInt8] = []
        JSONText.quote(text, into: &appended)
        let maxCount = JSONText.maxQuotedCount(text)
        let inPlace = [UInt8](unsafeUninitializedCapacity: maxCount) { buffer, count in
            var writer = ByteWriter(buffer.baseAddress!)
            JSONText.quote(text, into: &writer)
            count = writer.position - buffer.baseAddress!
        }
        #expect(inPlace == appended)
        #expect(inPlace.count <= maxCount)
    }

    @Test func controlCharactersTakeAllOfMaxQuotedCount() {
        let text = "\u{1}\u{1f}\u{7f}"
        var bytes: [UInt8] = []
        JSONText.quote(text, into: &bytes)
        #expect(bytes.count == JSONText.maxQuotedCount(text))
    }

    @Test func logValuesWithoutSpecialCharactersStayBare() {
        #expect(LogText.quoteIfNeeded("198.51.100.7") == "198.51.100.7")
        #expect(LogText.quoteIfNeeded("a b") == "\"a b\"")
        #expect(LogText.quoteIfNeeded("evil\nsshd[1]: Accepted") == "\"evil\\nsshd[1]: Accepted\"")
    }
}

/// Enricher attributes merge into the event's; anything but an object is refused.
@Suite("enricher attribute merge")
struct JSONMergeTests {
    @Test func mergesObjectsAndRefusesTheRest() throws {
        let merged = try #require(JSONMerge.objects("{\"a\":1,\"b\":2}", "{\"b\":3,\"geo\":\"NL\"}"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(merged.utf8)) as? [String: Any])
        #expect(object["a"] as? Int == 1 && object["b"] as? Int == 3 && object["geo"] as? String == "NL")
        #expect(JSONMerge.objects(nil, "{\"x\":true}") == "{\"x\":true}")
        #expect(JSONMerge.objects("{\"a\":1}", "[1,2]") == nil)
        #expect(JSONMerge.objects("{\"a\":1}", "not json") == nil)
    }
}
