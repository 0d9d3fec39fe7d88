/// Security events: the pipeline's batched writes, the CLI's and plugins' queries, retention.
extension Store {
    private static let insertEventSQL = """
        INSERT INTO events (time_ns, kind, address, port, user, service, host, pid, severity,
                            source, raw, attributes)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    private static let eventColumns = """
        SELECT id, time_ns, kind, address, port, user, service, host, pid, severity, source, raw,
               attributes FROM events
        """

    /// Appends `events` in one transaction and returns their new ids, in order.
    /// The `id` field of the input is ignored. This is the pipeline's hot path: one cached
    /// statement, rebound per row, one commit per batch.
    @discardableResult
    public func insertEvents(_ events: [StoredEvent]) throws -> [Int64] {
        if events.isEmpty { return [] }
        return try withConnection { connection in
            try connection.transaction {
                try connection.withStatement(Self.insertEventSQL) { statement in
                    var ids: [Int64] = []
                    ids.reserveCapacity(events.count)
                    for event in events {
                        // Every parameter is bound on every row, so no stale value can leak
                        // from the previous row and clearing bindings is unnecessary.
                        try statement.bind(event.timeNs, at: 1)
                        try statement.bind(event.kind, at: 2)
                        try statement.bind(event.address, at: 3)
                        try statement.bind(event.port, at: 4)
                        try statement.bind(event.user, at: 5)
                        try statement.bind(event.service, at: 6)
                        try statement.bind(event.host, at: 7)
                        try statement.bind(event.pid, at: 8)
                        try statement.bind(event.severity, at: 9)
                        try statement.bind(event.source, at: 10)
                        try statement.bind(event.raw, at: 11)
                        try statement.bind(event.attributesJSON, at: 12)
                        try statement.step()
                        statement.reset()
                        ids.append(connection.lastInsertRowID)
                    }
                    return ids
                }
            }
        }
    }

    /// Events matching `filter`, newest first: in reverse insertion order, which is log order.
    /// `sinceNs` is inclusive; a `limit` of zero or less means no limit.
    public func events(_ filter: EventFilter) throws -> [StoredEvent] {
        // One SQL text per combination of filters, each cached, so every combination can use
        // its index (a single "(? IS NULL OR address = ?)" statement could not).
        var conditions: [String] = []
        if filter.address != nil { conditions.append("address = ?") }
        if filter.kind != nil { conditions.append("kind = ?") }
        if filter.sinceNs != nil { conditions.append("time_ns >= ?") }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = Self.eventColumns + whereClause + " ORDER BY id DESC LIMIT ?"

        return try withConnection { connection in
            try connection.withStatement(sql) { statement in
                var index: Int32 = 1
                for value in [filter.address, filter.kind] {
                    guard let value else { continue }
                    try statement.bind(value, at: index)
                    index += 1
                }
                if let since = filter.sinceNs {
                    try statement.bind(since, at: index)
                    index += 1
                }
                // SQLite reads a negative LIMIT as "no limit".
                try statement.bind(filter.limit > 0 ? filter.limit : -1, at: index)

                var events: [StoredEvent] = []
                while try statement.step() {
                    events.append(Self.event(from: statement))
                }
                return events
            }
        }
    }

    /// How many failures (events other than successes and alerts) `address` had
    /// between `sinceNs` and `untilNs`, counting at most `cap`: bounded on both
    /// sides, so a line dated in the wrong year cannot make it scan the address's
    /// whole history.
    public func recentFailureCount(address: String, sinceNs: Int64, untilNs: Int64, cap: Int = 1_000) throws -> Int {
        try withConnection { connection in
            try connection.withStatement(
                "SELECT count(*) FROM (SELECT 1 FROM events WHERE address = ? AND time_ns BETWEEN ? AND ?"
                    + " AND kind NOT IN ('auth_success', 'possible_compromise') LIMIT ?)"
            ) { statement in
                try statement.bind(address, at: 1)
                try statement.bind(sinceNs, at: 2)
                try statement.bind(untilNs, at: 3)
                try statement.bind(cap, at: 4)
                try statement.step()
                return statement.int(0)
            }
        }
    }

    /// Deletes events older than `olderThanNs` (retention) and returns how many went.
    /// Actions and bans are kept: they are the audit trail.
    @discardableResult
    public func deleteEvents(olderThanNs: Int64) throws -> Int {
        try withConnection { connection in
            try connection.withStatement("DELETE FROM events WHERE time_ns < ?") { statement in
                try statement.bind(olderThanNs, at: 1)
                try statement.step()
                return connection.changes
            }
        }
    }

    private static func event(from row: SQLiteStatement) -> StoredEvent {
        var event = StoredEvent(
            timeNs: row.int64(1), kind: row.string(2), address: row.optionalString(3),
            port: row.optionalInt(4), user: row.optionalString(5), service: row.optionalString(6),
            host: row.optionalString(7), pid: row.optionalInt64(8), severity: row.int(9),
            source: row.optionalString(10), raw: row.optionalString(11),
            attributesJSON: row.optionalString(12))
        event.id = row.int64(0)
        return event
    }
}
