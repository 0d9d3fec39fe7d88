/// Security events: the pipeline's batched writes, the CLI's and plugins' queries, retention.
extension Store {
    /// Parameters per event in an insert (bound by `EventRows.Binder`).
    private static let columnsPerEvent: Int32 = 13

    /// An insert of `rows` events at once. OR FAIL: a row that breaks a constraint stops the
    /// statement but keeps the rows before it. The default (ABORT) would undo those too, which
    /// makes SQLite copy every page a multi-row statement touches to a statement journal in
    /// a temporary file first: a page written per event.
    private static func insertEventSQL(rows: Int) -> String {
        let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
        return """
            INSERT OR FAIL INTO events (id, time_ns, kind, address, port, user, service, host, pid, severity,
                                source, raw, attributes)
            VALUES \(values)
            """
    }

    /// Events written per statement when they come numbered: one statement per row costs
    /// SQLite's per-statement setup and teardown on every event.
    private static let rowsPerInsert = 32
    private static let insertChunkSQL = insertEventSQL(rows: rowsPerInsert)
    private static let insertOneSQL = insertEventSQL(rows: 1)

    private static let eventColumns = """
        SELECT id, time_ns, kind, address, port, user, service, host, pid, severity, source, raw,
               attributes FROM events
        """

    /// Appends `events` in one transaction and returns their ids, in order. An event whose
    /// `id` is 0 gets the next free id; any other id is stored as given (the audit writer
    /// numbers events before they are written, see `nextEventID`).
    @discardableResult
    public func insertEvents(_ events: [StoredEvent]) throws -> [Int64] {
        if events.isEmpty { return [] }
        return try batch { try $0.insertEvents(events) }
    }

    /// The id the next event appended without an id would get.
    public func nextEventID() throws -> Int64 {
        try withConnection { connection in
            try connection.withStatement("SELECT coalesce(max(id), 0) + 1 FROM events") { statement in
                try statement.step()
                return statement.int64(0)
            }
        }
    }

    /// The pipeline's hot path: cached statements, rebound per chunk of rows, text bound
    /// without copies. Unnumbered events go one per statement, to learn the id they get.
    static func insertEvents(_ rows: EventRows, in connection: SQLiteConnection) throws -> [Int64] {
        var ids: [Int64] = []
        ids.reserveCapacity(rows.count)
        try rows.withBinder { binder in
            var next = 0
            while next < rows.count {
                let chunk = next..<min(next + rowsPerInsert, rows.count)
                if chunk.count == rowsPerInsert && !rows.ids[chunk].contains(0) {
                    try connection.withStatement(insertChunkSQL) { statement in
                        for (row, index) in chunk.enumerated() {
                            try binder.bind(row: index, at: Int32(row) * columnsPerEvent + 1, to: statement)
                        }
                        try statement.step()
                    }
                    ids += rows.ids[chunk]
                    next = chunk.upperBound
                } else {
                    try connection.withStatement(insertOneSQL) { statement in
                        try binder.bind(row: next, at: 1, to: statement)
                        try statement.step()
                    }
                    ids.append(rows.ids[next] == 0 ? connection.lastInsertRowID : rows.ids[next])
                    next += 1
                }
            }
        }
        return ids
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
        try withConnection { try Self.deleteEvents(olderThanNs: olderThanNs, in: $0) }
    }

    static func deleteEvents(olderThanNs: Int64, in connection: SQLiteConnection) throws -> Int {
        try connection.withStatement("DELETE FROM events WHERE time_ns < ?") { statement in
            try statement.bind(olderThanNs, at: 1)
            try statement.step()
            return connection.changes
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
