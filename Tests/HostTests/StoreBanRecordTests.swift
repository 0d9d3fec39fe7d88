import Testing
@testable import Host

/// The one-lookup ban record and the one-transaction block the engine uses.
@Suite("Store ban record")
struct StoreBanRecordTests {
    @Test func recordTellsActiveEndedAndNever() throws {
        try withTemporaryStore { store in
            #expect(try store.banRecord(address: "192.0.2.9", now: seconds(1)) == nil)
            let ban = StoredBan(address: "192.0.2.9", sinceNs: seconds(10), untilNs: seconds(70),
                                reason: "test", count: 3, origin: "threshold")
            let id = try store.recordBlock(ban, action: StoredAction(
                timeNs: seconds(10), action: "block", address: "192.0.2.9", durationSeconds: 60, origin: "threshold"))
            #expect(try store.actions(limit: 0).map(\.id) == [id])
            let active = try #require(try store.banRecord(address: "192.0.2.9", now: seconds(20)))
            #expect(active.active && active.ban == ban)
            let ended = try #require(try store.banRecord(address: "192.0.2.9", now: seconds(70)))
            #expect(!ended.active && ended.ban.count == 3)
            try store.liftBan(address: "192.0.2.9", now: seconds(30))
            #expect(try store.banRecord(address: "192.0.2.9", now: seconds(31))?.active == false)
        }
    }
}
