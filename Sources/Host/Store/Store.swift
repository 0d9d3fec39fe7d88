import CSQLite
import Foundation
import Synchronization

/// The host's SQLite database: security events, the action audit trail, bans and plugin state.
///
/// One connection guarded by a mutex, so any thread may call any method. In the daemon the
/// pipeline thread writes in batches while the control socket reads between them; other
/// processes (the CLI) open their own `Store`, and WAL mode lets them read while the daemon writes.
///
/// Times are nanoseconds since the Unix epoch. "Now" is always passed in, never read here, so
/// expiry logic can be tested with a fake clock.
public final class Store: @unchecked Sendable {
    /// The database file.
    public let path: String
    /// Whether this store was opened read-only; writes then throw.
    public let isReadOnly: Bool
    /// The schema version of the open database (always `Store.latestSchemaVersion` once open).
    public let schemaVersion: Int

    /// The schema version this build creates and migrates to.
    public static var latestSchemaVersion: Int { Schema.latestVersion }

    /// How long a statement waits for another process's lock before failing with SQLITE_BUSY.
    static let busyTimeoutMilliseconds: Int32 = 5_000

    // @unchecked Sendable is sound because `connection` is only touched inside `lock`.
    private let lock = Mutex(())
    private let connection: SQLiteConnection

    /// Opens (creating if needed) the database at `path` and migrates it to the latest schema.
    ///
    /// When writing, a missing parent directory is created with mode 0700 and a missing file
    /// with mode 0600, as events hold addresses and user names (into which people sometimes
    /// type their password). A read-only store neither creates nor migrates anything: it fails if the
    /// file is missing or its schema is out of date.
    /// - Throws: `StoreError` naming the path: unwritable location, a file that is not a
    ///   SQLite database, or a schema newer than this build knows.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        self.isReadOnly = readOnly
        if !readOnly {
            try Self.createParentDirectory(of: path)
            try Self.createPrivateFile(path)
        }
        let connection = try SQLiteConnection(path: path, readOnly: readOnly)
        do {
            try Self.configure(connection, readOnly: readOnly)
            schemaVersion = try Schema.migrate(connection, readOnly: readOnly)
        } catch StoreError.sqlite(_, _, let message) {
            // SQLite opens lazily: a corrupt or foreign file only shows at the first read.
            throw StoreError.cannotOpen(path: path, message: message)
        }
        self.connection = connection
    }

    deinit {
        // SQLite's advice for long-lived writers: refresh planner statistics at close, cheaply.
        if !isReadOnly { try? connection.execute(script: "PRAGMA optimize") }
    }

    /// Runs `body` with exclusive use of the connection. Not reentrant: `body` must not call
    /// another public method of this store.
    func withConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try lock.withLock { _ in try body(connection) }
    }

    /// Lets the writer's commits checkpoint only once the log holds `pages` pages: for a
    /// writer whose log a `Checkpointer` keeps short.
    func setAutoCheckpoint(pages: Int) throws {
        // PRAGMA takes no bound parameters; the value is our own integer.
        try execute("PRAGMA wal_autocheckpoint = \(pages)")
    }

    /// Runs raw SQL; for tests and maintenance, never with outside text.
    func execute(_ sql: String) throws {
        try withConnection { try $0.execute(script: sql) }
    }

    private static func configure(_ connection: SQLiteConnection, readOnly: Bool) throws {
        // Before anything touches the file, so even opening waits out a busy writer.
        sqlite3_busy_timeout(connection.handle, busyTimeoutMilliseconds)
        if !readOnly {
            // WAL is stored in the file: set once by the writer, readers inherit it. Readers then
            // never block the writer and the writer never blocks readers.
            try connection.execute(script: "PRAGMA journal_mode = WAL")
            // Safe with WAL: a power cut may lose the last commits but never corrupts the file.
            try connection.execute(script: "PRAGMA synchronous = NORMAL")
            // Write throughput is bounded by pages dirtied per commit, mostly leaves of the
            // (address, time) index, which random attacker addresses hit all over. The cache
            // keeps those leaves in memory between commits: 16 MiB, where 8 MiB doubled the
            // system time of a replay (pages read back) and 64 MiB bought no speed since the
            // audit writer commits in groups and checkpoints run beside it (bench/analysis.md).
            // Caps, not allocations: 16 MiB of cache; a WAL truncated to 64 MiB at most.
            try connection.execute(script: """
                PRAGMA cache_size = -16384;
                PRAGMA wal_autocheckpoint = 10000;
                PRAGMA journal_size_limit = 67108864;
                """)
        }
        try connection.execute(script: "PRAGMA foreign_keys = ON")
    }

    /// Creates missing directories above `path` with mode 0700; existing ones are left as they are.
    private static func createParentDirectory(of path: String) throws {
        try createDirectory(parent(of: path), for: path)
    }

    private static func createDirectory(_ directory: String, for path: String) throws {
        if directory.isEmpty { return }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw StoreError.cannotOpen(path: path, message: "\(directory) exists and is not a directory")
        }
        try createDirectory(parent(of: directory), for: path)
        if mkdir(directory, 0o700) != 0 {
            let code = errno
            if code == EEXIST { return }
            throw StoreError.cannotOpen(
                path: path, message: "cannot create directory \(directory): \(String(cString: strerror(code)))")
        }
    }

    /// Creates `path` empty with mode 0600 if it does not exist. SQLite would create it 0644, and
    /// it gives its -wal and -shm files the database file's mode, so this covers all three.
    private static func createPrivateFile(_ path: String) throws {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
            return
        }
        let code = errno
        // An existing file (or anything else there) is SQLite's to open or reject.
        if code == EEXIST { return }
        throw StoreError.cannotOpen(path: path, message: String(cString: strerror(code)))
    }

    /// Everything before the last slash: "" for a bare file name or a path directly under "/".
    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }
}
