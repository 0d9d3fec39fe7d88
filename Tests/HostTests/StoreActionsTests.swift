import Testing
@testable import Host

@Suite("Store actions")
struct StoreActionsTests {
    @Test func actionsRoundTripNewestFirst() throws {
        try withTemporaryStore { store in
            var block = StoredAction(timeNs: seconds(10), action: "block", address: "192.0.2.1",
                                     durationSeconds: 3600, reason: "5 failures; DROP TABLE actions", origin: "threshold")
            var unblock = StoredAction(timeNs: seconds(20), action: "unblock", address: "192.0.2.1", origin: "cli")
            var notify = StoredAction(timeNs: seconds(20), action: "notify", origin: "plugin:slack")
            block.id = try store.recordAction(block)
            unblock.id = try store.recordAction(unblock)
            notify.id = try store.recordAction(notify)

            #expect(try store.actions() == [notify, unblock, block])
            #expect(try store.actions(limit: 1) == [notify])
            #expect(try store.actions(limit: 0).count == 3)
        }
    }
}
