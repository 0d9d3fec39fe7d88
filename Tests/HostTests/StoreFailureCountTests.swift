import Testing
@testable import Host

/// The success-after-failures query counts only inside its time range and
/// never more than its cap.
@Suite("Store failure count")
struct StoreFailureCountTests {
    @Test func boundedOnBothSidesAndCapped() throws {
        try withTemporaryStore { store in
            var events = (1...20).map {
                StoredEvent(timeNs: seconds(Int64(1_000 + $0)), kind: "auth_failure", address: "192.0.2.4")
            }
            events.append(StoredEvent(timeNs: seconds(1_010), kind: "auth_success", address: "192.0.2.4"))
            events.append(StoredEvent(timeNs: seconds(1_010), kind: "auth_failure", address: "192.0.2.5"))
            try store.insertEvents(events)
            #expect(try store.recentFailureCount(address: "192.0.2.4", sinceNs: 0, untilNs: seconds(2_000)) == 20)
            #expect(try store.recentFailureCount(address: "192.0.2.4", sinceNs: seconds(1_011), untilNs: seconds(1_015)) == 5)
            // A success dated before its failures (a wrong year) sees none of them.
            #expect(try store.recentFailureCount(address: "192.0.2.4", sinceNs: 0, untilNs: seconds(500)) == 0)
            #expect(try store.recentFailureCount(address: "192.0.2.4", sinceNs: 0, untilNs: seconds(2_000), cap: 7) == 7)
        }
    }
}
