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
        appendQuoted(text, to: &out)
    }

    /// The same into room reserved for at most `maxQuotedCount(text)` bytes.
    static func quote(_ text: String, into out: inout ByteWriter) {
        appendQuoted(text, to: &out)
    }

    /// The most bytes `quote` writes for `text`: every byte as `\u00XX`, and two quotes.
    static func maxQuotedCount(_ text: String) -> Int {
        6 * text.utf8.count + 2
    }

    private static func appendQuoted(_ text: String, to out: inout some ByteSink) {
        var text = text
        text.withUTF8 { appendQuoted(utf8: $0, to: &out) }
    }

    private static func appendQuoted(utf8 text: UnsafeBufferPointer<UInt8>, to out: inout some ByteSink) {
        let hex: StaticString = "0123456789abcdef"
        out.append(UInt8(ascii: "\""))
        // Most text needs no escape at all: copy it in one go.
        if !text.contains(where: { $0 < 0x20 || $0 == 0x7f || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: text)
            out.append(UInt8(ascii: "\""))
            return
        }
        for b in text {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(b)
            case UInt8(ascii: "\n"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0..<0x20, 0x7f:
                for c in "\\u00".utf8 { out.append(c) }
                out.append(hex.utf8Start[Int(b >> 4)])
                out.append(hex.utf8Start[Int(b & 0xf)])
            default:
                out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
