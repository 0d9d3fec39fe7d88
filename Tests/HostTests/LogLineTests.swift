import Foundation
import Logging
import PluginABI
import PluginKit
import Testing
@testable import Host

/// `SiemLogHandler.format` builds each line on bytes; the line must stay
/// exactly what the string-interpolation version wrote (kept below as the
/// reference), for every level, metadata shape and value.
@Suite("Log line format")
struct LogLineTests {
    /// The line format before it was built on bytes.
    static func reference(timeNs: Int64, level: Logger.Level, label: String, message: Logger.Message,
                          metadata: Logger.Metadata, extra: Logger.Metadata?) -> (String, String?) {
        var merged = metadata
        if let extra { merged.merge(extra) { $1 } }
        let category = merged.removeValue(forKey: "category").map { "\($0)" }
        var line = "\(Timestamp.iso8601(timeNs)) \(level) \(label): \(message)"
        for key in merged.keys.sorted() {
            line += " \(key)=\(LogText.quoteIfNeeded("\(merged[key]!)"))"
        }
        return (line, category)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let label: String
        let message: Logger.Message
        let metadata: Logger.Metadata
        let extra: Logger.Metadata?
        var testDescription: String { name }
    }

    struct Version: CustomStringConvertible, Sendable {
        var description: String { "v1.2 (x)" }
    }

    static let cases: [Case] = [
        Case(name: "no metadata", label: "daemon", message: "started", metadata: [:], extra: nil),
        Case(name: "empty message metadata", label: "daemon", message: "started", metadata: [:], extra: [:]),
        Case(name: "handler metadata only", label: "plugin.ipset_blocker",
             message: "dry-run: would run: ipset add mini_siem_v4 198.51.100.7 timeout 300 -exist",
             metadata: ["plugin": "ipset_blocker"], extra: nil),
        Case(name: "blocked", label: "pipeline", message: "blocked", metadata: [:],
             extra: ["category": "security", "client.ip": "198.51.100.7", "ban.duration": "86400", "ban.count": "1",
                     "origin": "threshold", "reason": "5 failed attempts within 180s (threshold 5)"]),
        Case(name: "message overrides handler", label: "plugin.x", message: "m",
             metadata: ["plugin": "x", "a": "handler", "category": "performance"],
             extra: ["a": "event", "z": "last", "b": "b"]),
        Case(name: "category from handler", label: "perf", message: "tick", metadata: ["category": "performance", "k": "v"],
             extra: ["queue": "3"]),
        Case(name: "category only", label: "l", message: "m", metadata: [:], extra: ["category": "event"]),
        Case(name: "values that need quotes", label: "pipeline", message: "event", metadata: ["plugin": "p"],
             extra: ["user": "evil\nsshd[1]: Accepted", "empty": "", "space": "a b", "quote": "say \"hi\"",
                      "tab": "a\tb", "del": "\u{7f}", "backslash": "a\\b", "unicode": "管理员", "nul": "a\u{0}b"]),
        Case(name: "non-string values", label: "l", message: "m", metadata: [:],
             extra: ["n": .stringConvertible(42), "version": .stringConvertible(Version()),
                     "list": ["a", "b c"], "dict": ["k": "v"], "nested": ["x": ["y", "z"]]]),
        Case(name: "odd keys and label", label: "lbl with space", message: "unicode ✓ and\nnewline",
             metadata: ["Zed": "1", "alpha": "2", "_u": "3", "é": "4", "10": "5", "9": "6", "a.b": "7", "a": "8"], extra: nil),
        Case(name: "many fields", label: "l", message: "m", metadata: [:],
             extra: Dictionary(uniqueKeysWithValues: (0..<40).map { ("key\(($0 * 7) % 40)", Logger.MetadataValue.string("v\($0)")) })),
    ]

    @Test("same line as the string-built format", arguments: cases, Logger.Level.allCases)
    func sameLine(c: Case, level: Logger.Level) {
        for timeNs: Int64 in [0, 1_764_145_343_412_000_000, -1_500_000_000, 4_102_444_799_999_999_999] {
            let (line, category) = SiemLogHandler.format(timeNs: timeNs, level: level, label: c.label, message: c.message,
                                                         metadata: c.metadata, extra: c.extra)
            let (expected, expectedCategory) = Self.reference(timeNs: timeNs, level: level, label: c.label, message: c.message,
                                                              metadata: c.metadata, extra: c.extra)
            #expect(line == Array((expected + "\n").utf8))
            #expect(category == expectedCategory)
        }
    }

    @Test("a blocked line, spelled out")
    func blockedLine() {
        let (line, category) = SiemLogHandler.format(
            timeNs: 1_764_145_343_412_000_000, level: .warning, label: "pipeline", message: "blocked", metadata: [:],
            extra: ["category": "security", "client.ip": "198.51.100.7", "ban.duration": "86400", "ban.count": "1",
                    "origin": "threshold", "reason": "5 failed attempts within 180s (threshold 5)"])
        #expect(String(decoding: line, as: UTF8.self) == """
            2025-11-26T08:22:23.412Z warning pipeline: blocked ban.count=1 ban.duration=86400 client.ip=198.51.100.7 \
            origin=threshold reason="5 failed attempts within 180s (threshold 5)"

            """)
        #expect(category == "security")
    }

    @Test("sinks by category: security.log, performance.log, siem.log")
    func sinks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("logline-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func file(_ name: String) throws -> RotatingFile {
            try RotatingFile(path: dir + "/" + name, maxBytes: 1 << 20, backups: 1)
        }
        let sinks = LogSinks(stderr: false, main: try file("siem.log"), security: try file("security.log"),
                             performance: try file("performance.log"))
        for category in [nil, "security", "event", "performance", "other"] {
            sinks.write(Array("line \(category ?? "none")\n".utf8), category: category)
        }
        func read(_ name: String) throws -> String { try String(contentsOfFile: dir + "/" + name, encoding: .utf8) }
        #expect(try read("siem.log") == "line none\nline security\nline other\n")
        #expect(try read("security.log") == "line security\nline event\n")
        #expect(try read("performance.log") == "line performance\n")
    }
}


/// PluginKit's `HostAPI.log` builds a message only when the host keeps its
/// level, which the host tells plugins through the top-level `log_level`.
@Suite("Plugin log level")
struct PluginLogLevelTests {
    /// A host table whose `log` records what it is sent and whose `config_get`
    /// answers `log_level` with `levelJSON`.
    final class StubHost {
        let levelJSON: UnsafeMutablePointer<CChar>?
        var received: [(UInt32, String)] = []
        var table = siem_host_api()

        init(levelJSON: String?) {
            self.levelJSON = levelJSON.map { strdup($0) }
            table.struct_size = UInt32(MemoryLayout<siem_host_api>.size)
            table.log = { ctx, level, message in
                let host = Unmanaged<StubHost>.fromOpaque(ctx!).takeUnretainedValue()
                host.received.append((level, String(cString: message!)))
            }
            table.config_get = { ctx, key in
                let host = Unmanaged<StubHost>.fromOpaque(ctx!).takeUnretainedValue()
                return String(cString: key!) == "log_level" ? UnsafePointer(host.levelJSON) : nil
            }
        }

        deinit { free(levelJSON) }

        /// Logs one message at every level; returns the levels whose message was built.
        func logAll() -> [UInt32] {
            var built: [UInt32] = []
            table.ctx = Unmanaged.passUnretained(self).toOpaque()
            withUnsafePointer(to: table) { t in
                let api = HostAPI(t)
                for raw in SIEM_LOG_TRACE.rawValue...SIEM_LOG_CRITICAL.rawValue {
                    api.log(siem_log_level(rawValue: raw), { built.append(raw); return "message \(raw)" }())
                }
            }
            return built
        }
    }

    @Test("levels sent and built", arguments: [
        (nil, 0), ("\"trace\"", 0), ("\"debug\"", 1), ("\"info\"", 2), ("\"notice\"", 3),
        ("\"warning\"", 4), ("\"error\"", 5), ("\"critical\"", 6), (" \"error\"\n", 5), ("\"loud\"", 0), ("3", 0),
    ] as [(String?, UInt32)])
    func levels(json: String?, lowest: UInt32) {
        let host = StubHost(levelJSON: json)
        let built = host.logAll()
        let expected = Array(lowest...SIEM_LOG_CRITICAL.rawValue)
        #expect(built == expected)
        #expect(host.received.map(\.0) == expected)
        #expect(host.received.map(\.1) == expected.map { "message \($0)" })
    }
}
