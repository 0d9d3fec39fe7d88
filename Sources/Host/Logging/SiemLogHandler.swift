import Foundation
import Logging

/// Where log lines go, by the `category` metadata of a message:
/// none -> stderr and siem.log; `security` (blocks, unblocks, alerts) -> also
/// security.log; `event` (each recognized sshd event) -> security.log only;
/// `performance` (timings, queue depths) -> performance.log only.
final class LogSinks: Sendable {
    let stderr: Bool
    let main: RotatingFile?
    let security: RotatingFile?
    let performance: RotatingFile?

    init(stderr: Bool, main: RotatingFile?, security: RotatingFile?, performance: RotatingFile?) {
        self.stderr = stderr
        self.main = main
        self.security = security
        self.performance = performance
    }

    func write(_ line: String, category: String?) {
        switch category {
        case "event":
            security?.write(line)
            return
        case "performance":
            performance?.write(line)
            return
        case "security":
            security?.write(line)
        default:
            break
        }
        if stderr { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        main?.write(line)
    }
}

/// A swift-log backend: one line per message, `key=value` metadata.
struct SiemLogHandler: LogHandler {
    let label: String
    let sinks: LogSinks
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let category = merged.removeValue(forKey: "category").map { "\($0)" }
        var line = "\(Timestamp.iso8601(Timestamp.nowNs())) \(event.level) \(label): \(event.message)"
        for key in merged.keys.sorted() {
            line += " \(key)=\(LogText.quoteIfNeeded("\(merged[key]!)"))"
        }
        sinks.write(line, category: category)
    }
}

/// Makes attacker text safe for one log line: values with spaces, quotes or
/// control characters are written as JSON strings.
enum LogText {
    static func needsQuotes(_ s: String) -> Bool {
        s.isEmpty || s.utf8.contains { $0 < 0x21 || $0 == UInt8(ascii: "\"") || $0 == 0x7f }
    }

    static func quoteIfNeeded(_ s: String) -> String {
        guard needsQuotes(s) else { return s }
        var out = ""
        JSONText.quote(s, into: &out)
        return out
    }
}
