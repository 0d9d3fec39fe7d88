/// Small key-value state that plugins keep across restarts: file positions, the journal cursor.
extension Store {
    /// The value stored under (`plugin`, `key`), or nil if none.
    public func state(plugin: String, key: String) throws -> String? {
        try withConnection { connection in
            try connection.withStatement("SELECT value FROM plugin_state WHERE plugin = ? AND key = ?") { statement in
                try statement.bind(plugin, at: 1)
                try statement.bind(key, at: 2)
                return try statement.step() ? statement.string(0) : nil
            }
        }
    }

    /// Stores `value` under (`plugin`, `key`), replacing any previous value; nil deletes it.
    public func setState(plugin: String, key: String, value: String?) throws {
        try withConnection { try Self.setState(plugin: plugin, key: key, value: value, in: $0) }
    }

    static func setState(plugin: String, key: String, value: String?, in connection: SQLiteConnection) throws {
        let sql = value == nil
            ? "DELETE FROM plugin_state WHERE plugin = ? AND key = ?"
            : """
              INSERT INTO plugin_state (plugin, key, value) VALUES (?, ?, ?)
              ON CONFLICT (plugin, key) DO UPDATE SET value = excluded.value
              """
        try connection.withStatement(sql) { statement in
            try statement.bind(plugin, at: 1)
            try statement.bind(key, at: 2)
            if let value { try statement.bind(value, at: 3) }
            try statement.step()
        }
    }
}
