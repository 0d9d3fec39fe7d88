/// The action audit trail: blocks, unblocks, expiries, notifications.
extension Store {
    /// Appends one action and returns its id. The `id` field of the input is ignored.
    @discardableResult
    public func recordAction(_ action: StoredAction) throws -> Int64 {
        try withConnection { try Self.insert(action, in: $0) }
    }

    static func insert(_ action: StoredAction, in connection: SQLiteConnection) throws -> Int64 {
        let sql = """
            INSERT INTO actions (time_ns, action, address, duration_s, reason, origin)
            VALUES (?, ?, ?, ?, ?, ?)
            """
        return try connection.withStatement(sql) { statement in
            try statement.bind(action.timeNs, at: 1)
            try statement.bind(action.action, at: 2)
            try statement.bind(action.address, at: 3)
            try statement.bind(action.durationSeconds, at: 4)
            try statement.bind(action.reason, at: 5)
            try statement.bind(action.origin, at: 6)
            try statement.step()
            return connection.lastInsertRowID
        }
    }

    /// The latest actions, newest first. A `limit` of zero or less means no limit.
    public func actions(limit: Int = 50) throws -> [StoredAction] {
        let sql = """
            SELECT id, time_ns, action, address, duration_s, reason, origin FROM actions
            ORDER BY time_ns DESC, id DESC LIMIT ?
            """
        return try withConnection { connection in
            try connection.withStatement(sql) { statement in
                try statement.bind(limit > 0 ? limit : -1, at: 1)
                var actions: [StoredAction] = []
                while try statement.step() {
                    var action = StoredAction(
                        timeNs: statement.int64(1), action: statement.string(2),
                        address: statement.optionalString(3), durationSeconds: statement.optionalInt64(4),
                        reason: statement.optionalString(5), origin: statement.string(6))
                    action.id = statement.int64(0)
                    actions.append(action)
                }
                return actions
            }
        }
    }

}
