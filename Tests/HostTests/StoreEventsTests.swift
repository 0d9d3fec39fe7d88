import Foundation
import Testing
@testable import Host

@Suite("Store events")
struct StoreEventsTests {
    @Test func everyFieldRoundTripsIncludingHostileAndOddText() throws {
        try withTemporaryStore { store in
            let odd = [
                "x'); DROP TABLE events; --", "\" OR 1=1 --", "%_\\", "ユーザー", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🧑‍💻",
                "e\u{301}", "\u{202E}evil\u{202C}", "\u{FEFF}bom", "tab\tnew\nline\r", "\u{1}\u{7F}\u{FFFD}", "",
            ]
            var written: [StoredEvent] = []
            for (index, text) in odd.enumerated() {
                written.append(StoredEvent(
                    timeNs: Int64(index) + 1, kind: "auth_failure", address: "2001:db8::\(index)",
                    port: 65535, user: text, service: "sshd-session", host: "host-\(text)",
                    pid: Int64.max, severity: 3, source: "journal", raw: "Failed password for \(text)",
                    attributesJSON: #"{"country":"\#(text)"}"#))
            }
            written.append(StoredEvent(timeNs: Int64.max, kind: "auth_success"))
            written.append(StoredEvent(timeNs: Int64.min, kind: "x", port: 0, pid: 0, severity: -1))

            let ids = try store.insertEvents(written)
            #expect(ids.count == written.count)
            #expect(Set(ids).count == ids.count)
            for (index, id) in ids.enumerated() { written[index].id = id }

            let read = try store.events(EventFilter(limit: 0))
            let byID = Dictionary(uniqueKeysWithValues: read.map { ($0.id, $0) })
            for event in written {
                let stored = try #require(byID[event.id])
                #expect(stored == event)
                // String == compares canonically; the store must keep the exact bytes.
                #expect(stored.user.map { Array($0.utf8) } == event.user.map { Array($0.utf8) })
                #expect(stored.raw.map { Array($0.utf8) } == event.raw.map { Array($0.utf8) })
            }
            #expect(read.count == written.count)
            // Empty text stays empty text, not NULL.
            #expect(byID[ids[odd.count - 1]]?.user == "")
        }
    }

    @Test func filtersByAddressKindSinceAndLimitInReverseLogOrder() throws {
        try withTemporaryStore { store in
            let events = [
                StoredEvent(timeNs: seconds(10), kind: "auth_failure", address: "192.0.2.1"),
                StoredEvent(timeNs: seconds(20), kind: "invalid_user", address: "192.0.2.1"),
                StoredEvent(timeNs: seconds(30), kind: "auth_failure", address: "192.0.2.2"),
                StoredEvent(timeNs: seconds(40), kind: "auth_failure", address: "192.0.2.1"),
                // Same time as the previous one: the later insert counts as newer.
                StoredEvent(timeNs: seconds(40), kind: "auth_success", address: "192.0.2.1"),
                // Logged last with an older time (another file, a clock step): newest is
                // what arrived last, so the order is log order, not a sort by time.
                StoredEvent(timeNs: seconds(5), kind: "auth_failure", address: "192.0.2.1"),
            ]
            try store.insertEvents(events)
            func times(_ filter: EventFilter) throws -> [Int64] {
                try store.events(filter).map { $0.timeNs / 1_000_000_000 }
            }
            #expect(try times(EventFilter()) == [5, 40, 40, 30, 20, 10])
            #expect(try store.events(EventFilter(limit: 3)).map(\.kind) == ["auth_failure", "auth_success", "auth_failure"])
            #expect(try times(EventFilter(address: "192.0.2.1")) == [5, 40, 40, 20, 10])
            #expect(try times(EventFilter(kind: "auth_failure")) == [5, 40, 30, 10])
            #expect(try times(EventFilter(sinceNs: seconds(20))) == [40, 40, 30, 20])
            #expect(try times(EventFilter(limit: 2, address: "192.0.2.1", kind: "auth_failure", sinceNs: seconds(6)))
                    == [40, 10])
            #expect(try times(EventFilter(address: "192.0.2.1' OR '1'='1")) == [])
            #expect(try times(EventFilter(limit: -1)).count == 6)
        }
    }

    @Test func emptyBatchWritesNothing() throws {
        try withTemporaryStore { store throws in
            #expect(try store.insertEvents([]) == [])
            #expect(try store.events(EventFilter()).isEmpty)
        }
    }

    @Test func retentionDeletesOnlyOlderEvents() throws {
        try withTemporaryStore { store in
            try store.insertEvents([10, 20, 30].map { StoredEvent(timeNs: seconds($0), kind: "auth_failure") })
            try store.recordAction(StoredAction(timeNs: seconds(1), action: "block", origin: "threshold"))
            #expect(try store.deleteEvents(olderThanNs: seconds(20)) == 1)
            #expect(try store.events(EventFilter()).map(\.timeNs) == [seconds(30), seconds(20)])
            #expect(try store.deleteEvents(olderThanNs: seconds(20)) == 0)
            #expect(try store.actions().count == 1)
        }
    }

    @Test func statsCountEventsByKindActionsAndActiveBans() throws {
        try withTemporaryStore { store in
            try store.insertEvents(["auth_failure", "auth_failure", "invalid_user"].map {
                StoredEvent(timeNs: seconds(1), kind: $0)
            })
            try store.recordAction(StoredAction(timeNs: seconds(2), action: "block", origin: "threshold"))
            try store.upsertBan(StoredBan(address: "192.0.2.1", sinceNs: 0, untilNs: seconds(100),
                                          reason: "r", count: 1, origin: "threshold"))
            try store.upsertBan(StoredBan(address: "192.0.2.2", sinceNs: 0, untilNs: seconds(10),
                                          reason: "r", count: 1, origin: "threshold"))
            let stats = try store.stats(now: seconds(50))
            #expect(stats == StoreStats(events: 3, actions: 1, activeBans: 1,
                                        eventsByKind: ["auth_failure": 2, "invalid_user": 1]))
        }
    }

    @Test func recordsEncodeAsCamelCaseJSON() throws {
        let event = StoredEvent(timeNs: 7, kind: "auth_failure", address: "192.0.2.1", attributesJSON: "{}")
        let json = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
        #expect(json.contains(#""timeNs":7"#))
        #expect(json.contains(#""attributesJSON":"{}""#))
        let decoded = try JSONDecoder().decode(StoredEvent.self, from: Data(json.utf8))
        #expect(decoded == event)
    }
}
