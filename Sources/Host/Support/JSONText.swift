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
    /// control characters), for log values.
    public static func quote(_ text: String, into s: inout String) {
        var bytes: [UInt8] = []
        quote(text, into: &bytes)
        s += String(decoding: bytes, as: UTF8.self)
    }

    /// The same on bytes, for hand-built JSON on hot paths (check-log --json).
    public static func quote(_ text: String, into out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        out.append(UInt8(ascii: "\""))
        // Most text needs no escape at all: copy it in one go.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(b)
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20, 0x7f:
                out.append(contentsOf: Array("\\u00".utf8))
                hex.withUTF8Buffer { h in
                    out.append(h[Int(b >> 4)])
                    out.append(h[Int(b & 0xf)])
                }
            default:
                out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
