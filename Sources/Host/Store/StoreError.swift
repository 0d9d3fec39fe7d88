import Foundation

/// Why the store could not do what was asked. Every case names the database path, because an
/// operator reading "file is not a database" needs to know *which* file.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The file or its directory could not be created or opened, or is not a SQLite database.
    case cannotOpen(path: String, message: String)
    /// The file was written by a newer mini-siem; this build does not know its schema.
    case newerSchema(path: String, found: Int, supported: Int)
    /// A read-only open found a schema that needs migrating, which only a writer may do.
    case outdatedSchema(path: String, found: Int, required: Int)
    /// A statement failed (`code` is SQLite's extended result code).
    case sqlite(path: String, code: Int32, message: String)

    /// The database file the error is about.
    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .newerSchema(let path, _, _),
             .outdatedSchema(let path, _, _), .sqlite(let path, _, _):
            return path
        }
    }

    /// A one-line message fit for the CLI and the daemon's log.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let message):
            return "cannot open database \(path): \(message)"
        case .newerSchema(let path, let found, let supported):
            return "database \(path) has schema version \(found), newer than version \(supported) "
                + "known to this mini-siem; upgrade mini-siem or point it at another database"
        case .outdatedSchema(let path, let found, let required):
            return "database \(path) has schema version \(found) but version \(required) is needed; "
                + "start the daemon once (it migrates the database) and retry"
        case .sqlite(let path, let code, let message):
            return "database \(path): \(message) (SQLite error \(code))"
        }
    }

    /// Lets `localizedDescription` show the same text as `description`.
    public var errorDescription: String? { description }
}
