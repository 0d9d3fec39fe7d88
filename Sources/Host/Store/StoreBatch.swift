/// Writes on the store's connection, inside `Store.batch` (one transaction) or `Store.write`
/// (the caller's: the audit writer keeps one open across many runs of jobs, see `begin()`).
/// Only valid inside the call that handed it out.
public struct StoreBatch {
    let connection: SQLiteConnection

    /// See `Store.insertEvents`.
    @discardableResult
    public func insertEvents(_ events: [StoredEvent]) throws -> [Int64] {
        try Store.insertEvents(EventRows(events), in: connection)
    }

    /// The same, for events already laid out for binding.
    @discardableResult
    public func insertEvents(_ rows: EventRows) throws -> [Int64] {
        try Store.insertEvents(rows, in: connection)
    }

    /// See `Store.recordBlock`.
    public func recordBlock(_ ban: StoredBan, action: StoredAction) throws -> Int64 {
        try Store.upsert(ban, in: connection)
        return try Store.insert(action, in: connection)
    }

    /// See `Store.recordAction`.
    @discardableResult
    public func recordAction(_ action: StoredAction) throws -> Int64 {
        try Store.insert(action, in: connection)
    }

    /// See `Store.liftBan`.
    @discardableResult
    public func liftBan(address: String, now: Int64) throws -> StoredBan? {
        try Store.liftBan(address: address, now: now, in: connection)
    }

    /// See `Store.markExpired`.
    @discardableResult
    public func markExpired(address: String, now: Int64) throws -> Bool {
        try Store.markExpired(address: address, now: now, in: connection)
    }

    /// See `Store.setState`.
    public func setState(plugin: String, key: String, value: String?) throws {
        try Store.setState(plugin: plugin, key: key, value: value, in: connection)
    }

    /// See `Store.deleteEvents`.
    @discardableResult
    public func deleteEvents(olderThanNs: Int64) throws -> Int {
        try Store.deleteEvents(olderThanNs: olderThanNs, in: connection)
    }
}

extension Store {
    /// Runs `body`'s writes in one transaction: all of them are committed, or none if it throws.
    public func batch<T>(_ body: (StoreBatch) throws -> T) throws -> T {
        try withConnection { connection in
            try connection.transaction { try body(StoreBatch(connection: connection)) }
        }
    }

    /// Runs `body`'s writes in the transaction opened by `begin()`, or each on its own
    /// when none is open. A failed statement is undone alone; the transaction stays open
    /// unless SQLite gave it up (see `isInTransaction`).
    @discardableResult
    public func write<T>(_ body: (StoreBatch) throws -> T) throws -> T {
        try withConnection { try body(StoreBatch(connection: $0)) }
    }

    /// Opens a write transaction that `write` calls add to until `commit()`. While it is
    /// open, other calls on this store join it, and `batch` (a transaction of its own) fails.
    public func begin() throws {
        try withConnection { try $0.run("BEGIN IMMEDIATE") }
    }

    public func commit() throws {
        try withConnection { try $0.run("COMMIT") }
    }

    /// Undoes the open transaction; nothing to do when SQLite already did.
    public func rollback() {
        try? withConnection { connection in
            if !connection.isAutocommit { try connection.run("ROLLBACK") }
        }
    }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool {
        (try? withConnection { !$0.isAutocommit }) ?? false
    }
}
