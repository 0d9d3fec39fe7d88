/// The ban ledger. The store, not the firewall, is the truth about who is banned: the blocker
/// is reconciled to `activeBans` after a restart.
///
/// A ban is active while it is not lifted and `untilNs` is still ahead of `now`. Ending a ban
/// (lift or expiry) keeps its row, so `count` still knows a repeat offender next time.
extension Store {
    private static let banColumns = "SELECT address, since_ns, until_ns, reason, count, origin FROM bans"
    private static let activeBanSQL = banColumns + " WHERE lifted_ns IS NULL AND until_ns > ? AND address = ?"

    /// How many times `address` has been banned before (0 if never), whether or not a ban is
    /// in force now. The caller escalates the duration with it and stores `count + 1`.
    public func previousBanCount(address: String) throws -> Int {
        try withConnection { connection in
            try connection.withStatement("SELECT count FROM bans WHERE address = ?") { statement in
                try statement.bind(address, at: 1)
                return try statement.step() ? statement.int(0) : 0
            }
        }
    }

    /// Every address with a ban row, active or ended.
    public func bannedAddresses() throws -> [String] {
        try withConnection { connection in
            try connection.withStatement("SELECT address FROM bans") { statement in
                var addresses: [String] = []
                while try statement.step() { addresses.append(statement.string(0)) }
                return addresses
            }
        }
    }

    /// The address's ban row, active or ended (nil if it was never banned), and whether it
    /// is in force at `now`: one lookup for what `previousBanCount` and `activeBan` answer.
    public func banRecord(address: String, now: Int64) throws -> (ban: StoredBan, active: Bool)? {
        try withConnection { connection in
            let sql = "SELECT address, since_ns, until_ns, reason, count, origin,"
                + " lifted_ns IS NULL AND until_ns > ? FROM bans WHERE address = ?"
            return try connection.withStatement(sql) { statement in
                try statement.bind(now, at: 1)
                try statement.bind(address, at: 2)
                guard try statement.step() else { return nil }
                return (Self.ban(from: statement), statement.int(6) != 0)
            }
        }
    }

    /// Records `ban` as the address's current ban and appends its `block` action, in one
    /// transaction; returns the action's id.
    public func recordBlock(_ ban: StoredBan, action: StoredAction) throws -> Int64 {
        try batch { try $0.recordBlock(ban, action: action) }
    }

    /// Records `ban` as the address's current ban, replacing any earlier one (active or ended)
    /// and marking it not lifted. `count` is stored as given.
    public func upsertBan(_ ban: StoredBan) throws {
        try withConnection { try Self.upsert(ban, in: $0) }
    }

    static func upsert(_ ban: StoredBan, in connection: SQLiteConnection) throws {
        let sql = """
            INSERT INTO bans (address, since_ns, until_ns, reason, count, origin, lifted_ns)
            VALUES (?, ?, ?, ?, ?, ?, NULL)
            ON CONFLICT (address) DO UPDATE SET
                since_ns = excluded.since_ns, until_ns = excluded.until_ns,
                reason = excluded.reason, count = excluded.count, origin = excluded.origin,
                lifted_ns = NULL
            """
        try connection.withStatement(sql) { statement in
            try statement.bind(ban.address, at: 1)
            try statement.bind(ban.sinceNs, at: 2)
            try statement.bind(ban.untilNs, at: 3)
            try statement.bind(ban.reason, at: 4)
            try statement.bind(ban.count, at: 5)
            try statement.bind(ban.origin, at: 6)
            try statement.step()
        }
    }

    /// Ends the active ban on `address` at `now` and returns it; nil (and no change) if the
    /// address has no active ban. An expired ban not yet swept is left to `markExpired`, so
    /// its expiry is still reported.
    @discardableResult
    public func liftBan(address: String, now: Int64) throws -> StoredBan? {
        try batch { try $0.liftBan(address: address, now: now) }
    }

    /// SELECT then UPDATE, inside the caller's transaction, rather than UPDATE ... RETURNING,
    /// which needs SQLite 3.35 (Debian 11 ships 3.34).
    static func liftBan(address: String, now: Int64, in connection: SQLiteConnection) throws -> StoredBan? {
        guard let ban = try bans(in: connection, sql: activeBanSQL, now: now, address: address).first
        else { return nil }
        try connection.withStatement("UPDATE bans SET lifted_ns = ? WHERE address = ?") { statement in
            try statement.bind(now, at: 1)
            try statement.bind(address, at: 2)
            try statement.step()
        }
        return ban
    }

    /// Bans in force at `now`, newest first.
    public func activeBans(now: Int64) throws -> [StoredBan] {
        try bans(Self.banColumns + " WHERE lifted_ns IS NULL AND until_ns > ? ORDER BY since_ns DESC, address",
                 now: now)
    }

    /// The ban in force on `address` at `now`, if any.
    public func activeBan(address: String, now: Int64) throws -> StoredBan? {
        try bans(Self.activeBanSQL, now: now, address: address).first
    }

    /// Bans whose time ran out by `now` but which nobody has marked yet, soonest first:
    /// the expiry sweep unblocks each and then calls `markExpired`.
    public func expiredBans(now: Int64) throws -> [StoredBan] {
        try bans(Self.banColumns + " WHERE lifted_ns IS NULL AND until_ns <= ? ORDER BY until_ns, address",
                 now: now)
    }

    /// Marks the expired ban on `address` as ended at `now`. Returns false if there was none
    /// (never banned, still active, or already ended), so a sweep racing a lift is harmless.
    @discardableResult
    public func markExpired(address: String, now: Int64) throws -> Bool {
        try withConnection { try Self.markExpired(address: address, now: now, in: $0) }
    }

    static func markExpired(address: String, now: Int64, in connection: SQLiteConnection) throws -> Bool {
        let sql = "UPDATE bans SET lifted_ns = ?1 WHERE address = ?2 AND lifted_ns IS NULL AND until_ns <= ?1"
        return try connection.withStatement(sql) { statement in
            try statement.bind(now, at: 1)
            try statement.bind(address, at: 2)
            try statement.step()
            return connection.changes > 0
        }
    }

    private func bans(_ sql: String, now: Int64, address: String? = nil) throws -> [StoredBan] {
        try withConnection { try Self.bans(in: $0, sql: sql, now: now, address: address) }
    }

    /// Runs a ban query whose first parameter is `now` and, if given, second is the address.
    private static func bans(in connection: SQLiteConnection, sql: String, now: Int64,
                             address: String?) throws -> [StoredBan] {
        try connection.withStatement(sql) { statement in
            try statement.bind(now, at: 1)
            if let address { try statement.bind(address, at: 2) }
            var bans: [StoredBan] = []
            while try statement.step() {
                bans.append(ban(from: statement))
            }
            return bans
        }
    }

    private static func ban(from row: SQLiteStatement) -> StoredBan {
        StoredBan(address: row.string(0), sinceNs: row.int64(1), untilNs: row.int64(2),
                  reason: row.string(3), count: row.int(4), origin: row.string(5))
    }
}
