import Foundation
import Logging
import Synchronization

/// Copies the write-ahead log back into the database file on a thread and connection of its
/// own (SQLite's passive checkpoint, which never blocks the writer). Left to the writer's own
/// commits (`wal_autocheckpoint`), copying and syncing the pages was a third of the audit
/// writer's time; here it runs beside it. The writer's automatic checkpoint stays, at a much
/// larger size, as a bound on the log should this thread fall behind.
final class Checkpointer: @unchecked Sendable {
    /// At most this often: each checkpoint syncs the database file.
    static let minimumInterval: TimeInterval = 0.25
    /// The writer's own checkpoint, in pages (~400 MiB of log), when this one falls behind.
    static let writerFallbackPages = 100_000

    private let store: Store
    private let logger = Logger(label: "checkpoint")
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let stopped = Atomic(false)
    private var thread: Thread?

    /// Opens a connection of its own to the database at `path`.
    init(path: String) throws {
        store = try Store(path: path)
    }

    func start() {
        let t = Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                _ = wake.wait(timeout: .now() + 1)
                checkpoint()
                Thread.sleep(forTimeInterval: Self.minimumInterval)
            }
            done.signal()
        }
        t.name = "checkpoint"
        thread = t
        t.start()
    }

    /// Asks for a checkpoint soon (after a commit); cheap, never waits.
    func nudge() { wake.signal() }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        wake.signal()
        if thread != nil { done.wait() }
    }

    private func checkpoint() {
        do {
            try store.execute("PRAGMA wal_checkpoint(PASSIVE)")
        } catch {
            logger.warning("checkpoint failed; the writer's own checkpoint takes over", metadata: ["error": "\(error)"])
        }
    }
}
