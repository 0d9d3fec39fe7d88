import Foundation
import PluginKit

/// The `ssh_source` section of the config. Unknown keys are refused, so a
/// misspelt option fails loudly at start instead of being ignored.
struct SourceConfig: Decodable, Equatable {
    /// Where sshd's lines are read from.
    enum Mode: String, Decodable {
        /// The configured files if any of them exists at start, else the journal
        /// (Debian 12 has no auth.log unless rsyslog is installed).
        case auto
        case files
        case journal
        /// Both; only useful when the files do not receive the journal's sshd lines.
        case both
    }

    var mode: Mode = .auto
    /// With no saved position, read existing files (or the journal) from the
    /// start instead of only what is written from now on.
    var readFromStart = false
    /// Read the journal files in this directory instead of the system journal.
    var journalDirectory: String?
    /// Longer lines are dropped (and counted).
    var maxLineBytes = 16 * 1024

    static let maxLineBytesRange = 256...(1024 * 1024)

    enum CodingKeys: String, CodingKey, CaseIterable {
        case mode
        case readFromStart = "read_from_start"
        case journalDirectory = "journal_directory"
        case maxLineBytes = "max_line_bytes"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        try Self.rejectUnknownKeys(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? mode
        readFromStart = try c.decodeIfPresent(Bool.self, forKey: .readFromStart) ?? readFromStart
        journalDirectory = try c.decodeIfPresent(String.self, forKey: .journalDirectory)
        maxLineBytes = try c.decodeIfPresent(Int.self, forKey: .maxLineBytes) ?? maxLineBytes
        guard Self.maxLineBytesRange.contains(maxLineBytes) else {
            throw DecodingError.dataCorruptedError(
                forKey: .maxLineBytes, in: c,
                debugDescription: "must be between \(Self.maxLineBytesRange.lowerBound) and \(Self.maxLineBytesRange.upperBound)")
        }
        if journalDirectory?.isEmpty == true {
            throw DecodingError.dataCorruptedError(forKey: .journalDirectory, in: c, debugDescription: "must not be empty")
        }
    }

    private static func rejectUnknownKeys(_ decoder: any Decoder) throws {
        let any = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(CodingKeys.allCases.map(\.stringValue))
        if let unknown = any.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [AnyKey(stringValue: unknown)],
                debugDescription: "unknown key '\(unknown)' (known: \(CodingKeys.allCases.map(\.stringValue).joined(separator: ", ")))"))
        }
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// The top-level `auth_logs` setting: the files to follow.
enum AuthLogs {
    /// Used when the config has no `auth_logs`: Debian/Ubuntu, then RHEL.
    static let defaults = ["/var/log/auth.log", "/var/log/secure"]

    /// Decodes the JSON the host returns for `auth_logs` (nil: absent).
    static func paths(fromJSON json: String?) throws -> [String] {
        guard let json else { return defaults }
        let paths: [String]
        do {
            paths = try JSONDecoder().decode([String].self, from: Data(json.utf8))
        } catch {
            throw PluginError("auth_logs must be a list of file paths, got \(json)")
        }
        if let bad = paths.first(where: { !$0.hasPrefix("/") }) {
            throw PluginError("auth_logs: '\(bad)' is not an absolute path")
        }
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }
}
