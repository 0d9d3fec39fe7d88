/// Counters for `mini-siem stats` and the dashboard.
extension Store {
    /// Counts for `stats`, read in one transaction so they agree with each other.
    public func stats(now: Int64) throws -> StoreStats {
        try withConnection { connection in
            try connection.transaction(immediate: false) {
                var byKind: [String: Int64] = [:]
                try connection.withStatement("SELECT kind, count(*) FROM events GROUP BY kind") { statement in
                    while try statement.step() {
                        byKind[statement.string(0)] = statement.int64(1)
                    }
                }
                let actions = try connection.withStatement("SELECT count(*) FROM actions") { statement in
                    try statement.step()
                    return statement.int64(0)
                }
                let activeBans = try connection.withStatement(
                    "SELECT count(*) FROM bans WHERE lifted_ns IS NULL AND until_ns > ?"
                ) { statement in
                    try statement.bind(now, at: 1)
                    try statement.step()
                    return statement.int64(0)
                }
                // The total is the sum by kind: one scan of the kind index instead of two.
                return StoreStats(events: byKind.values.reduce(0, +), actions: actions,
                                  activeBans: activeBans, eventsByKind: byKind)
            }
        }
    }
}
