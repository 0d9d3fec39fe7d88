import Foundation
import Testing
@testable import Host

/// The checkpointer copies the write-ahead log into the database file on its own thread.
@Suite("Checkpointer")
struct CheckpointerTests {
    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? -1
    }

    @Test func copiesTheLogIntoTheDatabaseWhileTheWriterNeverDoes() throws {
        try withScratchDirectory { root in
            let path = root + "/audit.db"
            let store = try Store(path: path)
            try store.setAutoCheckpoint(pages: 0)  // 0: the writer never checkpoints
            let events = (0..<5_000).map {
                StoredEvent(timeNs: Int64($0), kind: "auth_failure", address: "192.0.2.\($0 % 250)",
                            raw: String(repeating: "x", count: 200))
            }
            try store.insertEvents(events)
            // Everything is in the log; the database file holds only the schema.
            let before = Self.size(path)
            #expect(before < 64 * 1024)
            #expect(Self.size(path + "-wal") > 1_000_000)
            let checkpointer = try Checkpointer(path: path)
            checkpointer.start()
            checkpointer.nudge()
            #expect(waitUntil(timeout: 20) { Self.size(path) > 1_000_000 })
            checkpointer.stop()
            #expect(try store.events(EventFilter(limit: 0)).count == 5_000)
        }
    }
}
