/// The database schema as an ordered list of migrations, tracked in `PRAGMA user_version`.
/// Migration N takes the database from version N-1 to N. Never edit a shipped migration:
/// append a new one, so every existing database walks the same path.
enum Schema {
    static let migrations: [String] = [
        // 1: initial schema.
        """
        CREATE TABLE events (
            id         INTEGER PRIMARY KEY,
            time_ns    INTEGER NOT NULL,
            kind       TEXT    NOT NULL,
            address    TEXT,
            port       INTEGER,
            user       TEXT,
            service    TEXT,
            host       TEXT,
            pid        INTEGER,
            severity   INTEGER NOT NULL DEFAULT 1,
            source     TEXT,
            raw        TEXT,
            attributes TEXT
        );
        -- Every index costs each of the ~10^5 inserts a second a B-tree insert, so only
        -- "what did this address do" (CLI --ip, the compromise check) has one. Recency is
        -- the rowid (insertion order); kind and time filters scan back from the newest.
        CREATE INDEX events_address_time ON events(address, time_ns);

        CREATE TABLE actions (
            id         INTEGER PRIMARY KEY,
            time_ns    INTEGER NOT NULL,
            action     TEXT    NOT NULL,
            address    TEXT,
            duration_s INTEGER,
            reason     TEXT,
            origin     TEXT    NOT NULL
        );
        CREATE INDEX actions_time ON actions(time_ns);

        -- One row per address ever banned. The row outlives the ban (lifted_ns set) so that
        -- `count` remembers repeat offenders.
        CREATE TABLE bans (
            address   TEXT    PRIMARY KEY NOT NULL,
            since_ns  INTEGER NOT NULL,
            until_ns  INTEGER NOT NULL,
            reason    TEXT    NOT NULL,
            count     INTEGER NOT NULL,
            origin    TEXT    NOT NULL,
            lifted_ns INTEGER
        ) WITHOUT ROWID;
        -- Only bans still in force are indexed: the expiry sweep and `list` stay cheap however
        -- many addresses were banned in the past.
        CREATE INDEX bans_open_until ON bans(until_ns) WHERE lifted_ns IS NULL;

        CREATE TABLE plugin_state (
            plugin TEXT NOT NULL,
            key    TEXT NOT NULL,
            value  TEXT NOT NULL,
            PRIMARY KEY (plugin, key)
        ) WITHOUT ROWID;
        """,
    ]

    /// The version this build writes and understands.
    static var latestVersion: Int { migrations.count }

    static func version(_ connection: SQLiteConnection) throws -> Int {
        try connection.withStatement("PRAGMA user_version") { statement in
            try statement.step()
            return statement.int(0)
        }
    }

    /// Brings the database up to `latestVersion` and returns it. A newer database is refused
    /// rather than guessed at; a read-only open may not migrate.
    static func migrate(_ connection: SQLiteConnection, readOnly: Bool) throws -> Int {
        let found = try version(connection)
        try check(found, path: connection.path, readOnly: readOnly)
        if found == latestVersion { return found }
        return try connection.transaction {
            // Read again under the write lock: another process may have migrated meanwhile.
            let current = try version(connection)
            try check(current, path: connection.path, readOnly: readOnly)
            for next in current..<latestVersion {
                try connection.execute(script: migrations[next])
                // PRAGMA takes no bound parameters; the value is our own integer.
                try connection.execute(script: "PRAGMA user_version = \(next + 1)")
            }
            return latestVersion
        }
    }

    private static func check(_ found: Int, path: String, readOnly: Bool) throws {
        if found > latestVersion {
            throw StoreError.newerSchema(path: path, found: found, supported: latestVersion)
        }
        if found < latestVersion && readOnly {
            throw StoreError.outdatedSchema(path: path, found: found, required: latestVersion)
        }
    }
}
