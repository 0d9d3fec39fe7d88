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
}
