import Foundation
import PluginABI
import PluginKit
import Synchronization
import Testing
@testable import Host

/// The audit writer on its own thread: order, numbering, what the pipeline sees before a
/// commit, and what happens when a write fails.
@Suite("Audit writer")
struct AuditWriterTests {
    /// Collects what the writer reports after each commit; `hold` keeps the writer
    /// inside its first report until `release()`.
    final class Commits: Sendable {
        private let seen = Mutex<[AuditReport]>([])
        private let gate = DispatchSemaphore(value: 0)
        private let holding: Atomic<Bool>
        init(hold: Bool = false) { holding = Atomic(hold) }
        var all: [AuditReport] { seen.withLock { $0 } }
        func record(_ c: AuditReport) {
            seen.withLock { $0.append(c) }
            if holding.exchange(false, ordering: .relaxed) { gate.wait() }
        }
        func release() { gate.signal() }
    }

    static func events(_ events: [StoredEvent]) -> AuditJob {
        .events(EventRows(events), logins: events.filter { $0.kind == "auth_success" })
    }

    static func ban(_ address: String, now: Int64) -> (StoredBan, StoredAction, PluginDecision) {
        let ban = StoredBan(address: address, sinceNs: now, untilNs: now + nanos(600), reason: "test", count: 1,
                            origin: "test")
        let action = StoredAction(timeNs: now, action: "block", address: address, durationSeconds: 600,
                                  reason: "test", origin: "test")
        return (ban, action, PluginDecision(action: SIEM_ACTION_BLOCK.rawValue, address: address))
    }

    @Test func aBanIsVisibleToThePipelineBeforeItsCommitAndStoredAfter() throws {
        // Held in the report of its first run, the writer has not committed the block queued next.
        try withScratchDirectory { root in
            _ = LogCapture.shared
            let store = try Store(path: root + "/audit.db")
            let commits = Commits(hold: true)
            let writer = try AuditWriter(store: store) { commits.record($0) }
            writer.start()
            writer.submit(Self.events([]))
            #expect(waitUntil(timeout: 10) { commits.all.count == 1 })
            let (ban, action, decision) = Self.ban("198.51.100.7", now: nanos(1_800_000_000))
            writer.submit(.block(ban, action, decision))
            #expect(writer.uncommittedBan("198.51.100.7")?.inForce == true)
            #expect(try store.activeBans(now: nanos(1_800_000_001)).isEmpty)
            commits.release()
            writer.sync()
            #expect(writer.uncommittedBan("198.51.100.7") == nil)
            #expect(try store.activeBans(now: nanos(1_800_000_001)).map(\.address) == ["198.51.100.7"])
            // The decision reaches the plugins after the commit, with its action's id.
            let dispatched = commits.all.flatMap(\.decisions)
            #expect(dispatched.map(\.address) == ["198.51.100.7"])
            #expect(dispatched.first?.id == (try store.actions(limit: 1).first?.id))
            writer.stop()
        }
    }

    @Test func eventsAreStoredInOrderWithTheIdsHandedOut() throws {
        try withScratchDirectory { root in
            let store = try Store(path: root + "/audit.db")
            try store.insertEvents([StoredEvent(timeNs: 1, kind: "auth_failure", address: "192.0.2.1")])
            let commits = Commits()
            let writer = try AuditWriter(store: store) { commits.record($0) }
            writer.start()
            // 70 events: two statements of 32 rows and six of one.
            let first = writer.reserveIDs(70)
            #expect(first == 2)
            let events = (0..<70).map { i in
                var e = StoredEvent(timeNs: 10 + Int64(i), kind: i == 69 ? "auth_success" : "auth_failure",
                                    address: "192.0.2.\(i + 2)", user: "u\(i)", raw: "line \(i)")
                e.id = first + Int64(i)
                return e
            }
            writer.submit(Self.events(events))
            writer.stop()
            let stored = try store.events(EventFilter(limit: 0)).reversed().map { $0 }
            #expect(stored.map(\.id) == Array(1...71))
            #expect(stored.dropFirst().map(\.timeNs) == (0..<70).map { 10 + Int64($0) })
            #expect(Array(stored.dropFirst()) == events)
            #expect(commits.all.map(\.eventsStored).reduce(0, +) == 70)
            #expect(commits.all.flatMap(\.successes).map(\.address) == ["192.0.2.71"])
        }
    }

    @Test func numberedAndUnnumberedEventsMixedKeepTheirOrder() throws {
        try withScratchDirectory { root in
            let store = try Store(path: root + "/audit.db")
            // 100 events numbered 1...100 except the 40th, which takes the next free id.
            let events = (0..<100).map { i in
                var e = StoredEvent(timeNs: Int64(i), kind: "auth_failure", address: "192.0.2.\(i)")
                e.id = i == 39 ? 0 : Int64(i + 1)
                return e
            }
            let ids = try store.insertEvents(events)
            #expect(ids.enumerated().allSatisfy { $0.offset == 39 || $0.element == Int64($0.offset + 1) })
            let stored = try store.events(EventFilter(limit: 0)).sorted { $0.timeNs < $1.timeNs }
            #expect(stored.map(\.timeNs) == (0..<100).map(Int64.init))
            #expect(stored.map(\.id) == ids)
        }
    }

    @Test func aFailedWriteIsLoggedAndTheJobsAroundItStand() throws {
        try withScratchDirectory { root in
            let capture = LogCapture.shared
            let store = try Store(path: root + "/audit.db")
            var taken = StoredEvent(timeNs: 1, kind: "auth_failure", address: "192.0.2.1")
            taken.id = 5
            try store.insertEvents([taken])
            let commits = Commits(hold: true)
            let writer = try AuditWriter(store: store) { commits.record($0) }
            writer.start()
            writer.submit(Self.events([]))
            #expect(waitUntil(timeout: 10) { commits.all.count == 1 })
            // Queued while the writer is held, so written in one run and one transaction:
            // the id already in use fails the events job alone.
            let (ban, action, decision) = Self.ban("198.51.100.8", now: nanos(1_800_000_000))
            var fresh = StoredEvent(timeNs: 2, kind: "auth_failure", address: "192.0.2.2")
            fresh.id = 6
            writer.submit(Self.events([taken]))
            writer.submit(.block(ban, action, decision))
            writer.submit(Self.events([fresh]))
            commits.release()
            writer.stop()
            #expect(!capture.lines(containing: "writing the audit failed", "events (1)").isEmpty)
            #expect(try store.events(EventFilter(limit: 0)).map(\.id) == [6, 5])
            #expect(try store.activeBans(now: nanos(1_800_000_001)).map(\.address) == ["198.51.100.8"])
            let dispatched = commits.all.flatMap(\.decisions)
            #expect(dispatched.map(\.address) == ["198.51.100.8"])
            #expect(dispatched.first?.id == (try store.actions(limit: 1).first?.id))
            #expect(commits.all.map(\.eventsStored).reduce(0, +) == 1)
            #expect(writer.uncommittedBan("198.51.100.8") == nil)
        }
    }

    @Test func aBanThatCannotBeWrittenStillReachesThePlugins() throws {
        try withScratchDirectory { root in
            let capture = LogCapture.shared
            let store = try Store(path: root + "/audit.db")
            // The bans table gone: every block fails to write, as on a broken database.
            try store.execute("DROP TABLE bans")
            let commits = Commits()
            let writer = try AuditWriter(store: store) { commits.record($0) }
            let (ban, action, decision) = Self.ban("198.51.100.9", now: nanos(1_800_000_000))
            writer.submit(.block(ban, action, decision))
            #expect(!capture.lines(containing: "writing the audit failed", "block").isEmpty)
            let dispatched = commits.all.flatMap(\.decisions)
            #expect(dispatched.map(\.address) == ["198.51.100.9"])
            #expect(dispatched.map(\.id) == [0])
            #expect(writer.uncommittedBan("198.51.100.9") == nil)
        }
    }
}
