import Foundation

/// JSON output for the CLI, the control socket and plugin queries.
public enum JSONText {
    /// Encodes with sorted keys; a value that cannot be encoded is a bug.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            preconditionFailure("JSON encoding failed: \(error)")
        }
    }

    /// Appends `text` as a JSON string (RFC 8259 escaping: quotes, backslash,
    /// control characters), for hand-built JSON on hot paths and log values.
    public static func quote(_ text: String, into s: inout String) {
        s += "\""
        for u in text.unicodeScalars {
            switch u {
            case "\"": s += "\\\""
            case "\\": s += "\\\\"
            case "\n": s += "\\n"
            case "\r": s += "\\r"
            case "\t": s += "\\t"
            case _ where u.value < 0x20 || u.value == 0x7f:
                s += "\\u00" + String(u.value, radix: 16).leftPad(2)
            default: s.unicodeScalars.append(u)
            }
        }
        s += "\""
    }
}
