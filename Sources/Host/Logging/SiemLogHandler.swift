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

    /// `line` ends with its newline.
    func write(_ line: [UInt8], category: String?) {
        switch category {
        case "event":
            security?.write(bytes: line)
            return
        case "performance":
            performance?.write(bytes: line)
            return
        case "security":
            security?.write(bytes: line)
        default:
            break
        }
        if stderr { Self.writeAll(STDERR_FILENO, line) }
        main?.write(bytes: line)
    }

    /// One write(2) for a whole line (short writes continued): lines from
    /// several threads do not interleave. A failing stderr loses the line.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            guard var p = raw.baseAddress else { return }
            var left = raw.count
            while left > 0 {
                let n = Glibc.write(fd, p, left)
                if n > 0 {
                    p += n
                    left -= n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
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
        let (line, category) = Self.format(timeNs: Timestamp.nowNs(), level: event.level, label: label,
                                           message: event.message, metadata: metadata, extra: event.metadata)
        sinks.write(line, category: category)
    }

    /// The line for one message, newline included:
    /// `<ISO 8601 time> <level> <label>: <message> key=value ...`, keys sorted,
    /// the handler's `metadata` overridden by the message's own (`extra`), and
    /// `category` taken out (it picks the sinks, see `LogSinks`). Values with
    /// spaces, quotes or control characters are JSON strings (`LogText`).
    /// Built in one byte buffer: through string interpolation, a `blocked`
    /// line cost about 40 000 instructions.
    static func format(timeNs: Int64, level: Logger.Level, label: String, message: Logger.Message,
                       metadata: Logger.Metadata, extra: Logger.Metadata?) -> (line: [UInt8], category: String?) {
        // Values as text straight away: moving `MetadataValue`s around (an
        // existential inside) cost more than the rest of the line.
        var fields: [(key: String, value: String)] = []
        var category: String?
        let extra = extra ?? [:]
        fields.reserveCapacity(metadata.count + extra.count)
        for (key, value) in metadata where extra.isEmpty || extra.index(forKey: key) == nil {
            if key == "category" { category = value.description } else { fields.append((key, value.description)) }
        }
        for (key, value) in extra {
            if key == "category" { category = value.description } else { fields.append((key, value.description)) }
        }
        fields.sort { $0.key < $1.key }

        let text = message.description
        var out: [UInt8] = []
        out.reserveCapacity(48 + label.utf8.count + text.utf8.count + 48 * fields.count)
        out.append(contentsOf: repeatElement(0, count: 24))
        out.withUnsafeMutableBufferPointer { Timestamp.writeISO8601(timeNs, into: $0.baseAddress!) }
        out.append(UInt8(ascii: " "))
        append(level.rawValue, to: &out)
        out.append(UInt8(ascii: " "))
        append(label, to: &out)
        out.append(UInt8(ascii: ":"))
        out.append(UInt8(ascii: " "))
        append(text, to: &out)
        for field in fields {
            out.append(UInt8(ascii: " "))
            append(field.key, to: &out)
            out.append(UInt8(ascii: "="))
            if LogText.needsQuotes(field.value) {
                JSONText.quote(field.value, into: &out)
            } else {
                append(field.value, to: &out)
            }
        }
        out.append(UInt8(ascii: "\n"))
        return (out, category)
    }

    private static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }
}

/// Makes attacker text safe for one log line: values with spaces, quotes or
/// control characters are written as JSON strings.
enum LogText {
    static func needsQuotes(_ s: String) -> Bool {
        func unsafe(_ b: UInt8) -> Bool { b < 0x21 || b == UInt8(ascii: "\"") || b == 0x7f }
        if let found = s.utf8.withContiguousStorageIfAvailable({ $0.isEmpty || $0.contains(where: unsafe) }) {
            return found
        }
        return s.isEmpty || s.utf8.contains(where: unsafe)
    }

    static func quoteIfNeeded(_ s: String) -> String {
        guard needsQuotes(s) else { return s }
        var out = ""
        JSONText.quote(s, into: &out)
        return out
    }
}
