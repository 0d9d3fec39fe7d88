import Testing
@testable import Host

@Suite("Store bans")
struct StoreBansTests {
    let address = "203.0.113.7"

    func ban(count: Int, from since: Int64, to until: Int64, reason: String = "5 failures in 60s") -> StoredBan {
        StoredBan(address: address, sinceNs: seconds(since), untilNs: seconds(until),
                  reason: reason, count: count, origin: "threshold")
    }

    @Test func banIsActiveUntilItsEndThenExpires() throws {
        try withTemporaryStore { store in
            #expect(try store.previousBanCount(address: address) == 0)
            let first = ban(count: 1, from: 100, to: 200)
            try store.upsertBan(first)

            #expect(try store.activeBan(address: address, now: seconds(150)) == first)
            #expect(try store.activeBans(now: seconds(150)) == [first])
            #expect(try store.expiredBans(now: seconds(150)) == [])
            #expect(try store.markExpired(address: address, now: seconds(150)) == false)

            // until is exclusive: at until the ban is over and waits for the sweep.
            #expect(try store.activeBan(address: address, now: seconds(200)) == nil)
            #expect(try store.activeBans(now: seconds(200)) == [])
            #expect(try store.expiredBans(now: seconds(200)) == [first])

            #expect(try store.markExpired(address: address, now: seconds(201)) == true)
            #expect(try store.markExpired(address: address, now: seconds(202)) == false)
            #expect(try store.expiredBans(now: seconds(300)) == [])
            // Ended bans stay ended even for a clock that runs backwards.
            #expect(try store.activeBan(address: address, now: seconds(150)) == nil)
            #expect(try store.previousBanCount(address: address) == 1)
        }
    }

    @Test func liftEndsOnlyAnActiveBanAndKeepsTheCount() throws {
        try withTemporaryStore { store in
            try store.upsertBan(ban(count: 1, from: 100, to: 200))
            try store.markExpired(address: address, now: seconds(200))

            // A repeat offender: the caller escalates from the remembered count.
            let again = ban(count: try store.previousBanCount(address: address) + 1, from: 300, to: 900,
                            reason: "repeat")
            try store.upsertBan(again)
            #expect(try store.activeBan(address: address, now: seconds(350)) == again)

            #expect(try store.liftBan(address: address, now: seconds(400)) == again)
            #expect(try store.liftBan(address: address, now: seconds(401)) == nil)
            #expect(try store.activeBans(now: seconds(450)) == [])
            #expect(try store.expiredBans(now: seconds(1000)) == [])
            #expect(try store.previousBanCount(address: address) == 2)
            #expect(try store.liftBan(address: "198.51.100.1", now: seconds(400)) == nil)
        }
    }

    @Test func liftLeavesAnUnsweptExpiredBanToTheSweep() throws {
        try withTemporaryStore { store in
            let old = ban(count: 1, from: 100, to: 200)
            try store.upsertBan(old)
            #expect(try store.liftBan(address: address, now: seconds(250)) == nil)
            #expect(try store.expiredBans(now: seconds(250)) == [old])
        }
    }

    @Test func upsertReplacesAnActiveBan() throws {
        try withTemporaryStore { store in
            try store.upsertBan(ban(count: 1, from: 100, to: 200))
            let extended = ban(count: 2, from: 150, to: 500, reason: "extended")
            try store.upsertBan(extended)
            #expect(try store.activeBans(now: seconds(300)) == [extended])
        }
    }

    @Test func activeBansListsNewestFirstAndExpiredSoonestFirst() throws {
        try withTemporaryStore { store in
            let bans = (1...3).map { index in
                StoredBan(address: "192.0.2.\(index)", sinceNs: seconds(Int64(index) * 10),
                          untilNs: seconds(100 - Int64(index)), reason: "r", count: 1, origin: "cli")
            }
            for ban in bans { try store.upsertBan(ban) }
            #expect(try store.activeBans(now: seconds(50)).map(\.address) == ["192.0.2.3", "192.0.2.2", "192.0.2.1"])
            #expect(try store.expiredBans(now: seconds(100)).map(\.address) == ["192.0.2.3", "192.0.2.2", "192.0.2.1"])
            #expect(try store.expiredBans(now: seconds(98)).map(\.address) == ["192.0.2.3", "192.0.2.2"])
        }
    }
}
