import CSQLite

/// Tells SQLite to copy bound text at once, so Swift may free the buffer right after binding.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One prepared statement: bind, step, read columns. Owned by a `SQLiteConnection`'s cache and
/// only used while its lock is held, so it needs no locking of its own.
final class SQLiteStatement {
    let handle: OpaquePointer
    /// For error messages only.
    let path: String

    init(handle: OpaquePointer, path: String) {
        self.handle = handle
        self.path = path
    }

    deinit { sqlite3_finalize(handle) }

    // MARK: Binding (indexes are 1-based, as in SQLite)

    func bind(_ value: Int64?, at index: Int32) throws {
        let rc = value.map { sqlite3_bind_int64(handle, index, $0) } ?? sqlite3_bind_null(handle, index)
        try check(rc)
    }

    func bind(_ value: Int?, at index: Int32) throws {
        try bind(value.map(Int64.init), at: index)
    }

    func bind(_ value: String?, at index: Int32) throws {
        guard var value else { return try check(sqlite3_bind_null(handle, index)) }
        // withUTF8 hands over the native buffer with its length: no NUL-terminated copy, and
        // an embedded NUL cannot silently truncate the text.
        let rc = value.withUTF8 { bytes -> Int32 in
            guard let base = bytes.baseAddress else {
                // An empty buffer has no address, and a NULL pointer would bind SQL NULL.
                return sqlite3_bind_text(handle, index, "", 0, SQLITE_TRANSIENT)
            }
            return sqlite3_bind_text64(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                                       sqlite3_uint64(bytes.count), SQLITE_TRANSIENT, UInt8(SQLITE_UTF8))
        }
        try check(rc)
    }

    func bindNull(at index: Int32) throws {
        try check(sqlite3_bind_null(handle, index))
    }

    /// Binds `count` UTF-8 bytes at `text` without copying them: they must stay valid and
    /// unchanged until the statement is stepped and reset (see `SQLiteTextRow`).
    func bindStatic(_ text: UnsafePointer<CChar>, count: Int, at index: Int32) throws {
        // A nil destructor is SQLITE_STATIC: SQLite keeps the pointer and copies nothing.
        try check(sqlite3_bind_text64(handle, index, text, sqlite3_uint64(count), nil, UInt8(SQLITE_UTF8)))
    }

    // MARK: Stepping

    /// Advances one row: true when a row is ready to read, false when the statement is done.
    @discardableResult
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc: throw error(rc)
        }
    }

    /// Makes the statement ready for its next use. Resetting also ends the implicit read
    /// transaction, which would otherwise pin an old WAL snapshot and stall checkpoints.
    func reset() {
        sqlite3_reset(handle)
    }

    func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    // MARK: Columns (indexes are 0-based, as in SQLite)

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    func int(_ column: Int32) -> Int {
        Int(sqlite3_column_int64(handle, column))
    }

    func optionalInt64(_ column: Int32) -> Int64? {
        isNull(column) ? nil : int64(column)
    }

    func optionalInt(_ column: Int32) -> Int? {
        isNull(column) ? nil : int(column)
    }

    func string(_ column: Int32) -> String {
        optionalString(column) ?? ""
    }

    func optionalString(_ column: Int32) -> String? {
        // text before bytes: the order SQLite documents for a correct byte count.
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    private func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    // MARK: Errors

    private func check(_ rc: Int32) throws {
        if rc != SQLITE_OK { throw error(rc) }
    }

    private func error(_ rc: Int32) -> StoreError {
        let message = sqlite3_db_handle(handle).map { String(cString: sqlite3_errmsg($0)) }
            ?? String(cString: sqlite3_errstr(rc))
        return .sqlite(path: path, code: rc, message: message)
    }
}
