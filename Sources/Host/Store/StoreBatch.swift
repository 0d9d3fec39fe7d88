/// Several writes in one transaction. The audit writer commits everything it has queued
/// (events, bans, actions) at once: one WAL commit per batch instead of one per ban.
/// Only valid inside `Store.batch`.
public struct StoreBatch {
    let connection: SQLiteConnection

    /// See `Store.insertEvents`.
    @discardableResult
    public func insertEvents(_ events: [StoredEvent]) throws -> [Int64] {
        try Store.insertEvents(events, in: connection)
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
}
