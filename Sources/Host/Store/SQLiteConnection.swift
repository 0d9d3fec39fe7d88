import CSQLite

/// One open database handle and its cache of prepared statements.
/// Not thread-safe on purpose: `Store` serialises every use behind its lock, which lets the
/// handle be opened with SQLITE_OPEN_NOMUTEX and skip SQLite's own locking.
final class SQLiteConnection {
    let path: String
    let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]

    /// Process-wide settings, applied once before the first connection opens.
    private static let configured: Void = {
        // Fails only after sqlite3_initialize (another library in the process opened a
        // database first); the statistics then stay on, which costs speed, not correctness.
        _ = siem_sqlite3_disable_memstatus()
    }()

    init(path: String, readOnly: Bool) throws {
        Self.configured
        self.path = path
        let flags = SQLITE_OPEN_NOMUTEX
            | (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            // SQLite hands back a handle even on failure; it carries the message and must be closed.
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw StoreError.cannotOpen(path: path, message: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        // Statements first: a connection with live statements would linger as a zombie.
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs `body` with the cached statement for `sql`, preparing it on first use, and resets it
    /// afterwards whatever happens so no read transaction or stale binding outlives the call.
    func withStatement<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        let statement = try cachedStatement(sql)
        defer {
            statement.reset()
            statement.clearBindings()
        }
        return try body(statement)
    }

    /// Runs a statement that returns no rows worth reading.
    func run(_ sql: String) throws {
        try withStatement(sql) { _ = try $0.step() }
    }

    /// Runs a script of several statements (migrations); not cached, as each runs once.
    func execute(script sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard rc == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            throw StoreError.sqlite(path: path, code: rc, message: text)
        }
    }

    /// Runs `body` inside one transaction: committed if it returns, rolled back if it throws.
    /// Writers take the write lock up front (IMMEDIATE) so they wait on busy_timeout at BEGIN
    /// rather than failing half-way when a read transaction cannot be upgraded.
    func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
        try run(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            try? run("ROLLBACK")
            throw error
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE. (Not sqlite3_changes64: that needs
    /// SQLite 3.37, and a retention delete never nears 2^31 rows.)
    var changes: Int {
        Int(sqlite3_changes(handle))
    }

    /// False while a transaction is open (SQLite ends one by itself after some errors).
    var isAutocommit: Bool {
        sqlite3_get_autocommit(handle) != 0
    }

    var lastInsertRowID: Int64 {
        sqlite3_last_insert_rowid(handle)
    }

    private func cachedStatement(_ sql: String) throws -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        var raw: OpaquePointer?
        // PERSISTENT: these live for the connection's lifetime, so SQLite keeps them off its
        // short-lived lookaside memory.
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else {
            sqlite3_finalize(raw)
            throw StoreError.sqlite(path: path, code: rc,
                                    message: "\(String(cString: sqlite3_errmsg(handle))) in: \(sql)")
        }
        let statement = SQLiteStatement(handle: raw, path: path)
        statements[sql] = statement
        return statement
    }
}
