import Foundation
import Logging
import PluginKit
import Synchronization

/// A write for the audit writer. Jobs are written in the order they were submitted.
enum AuditJob: Sendable {
    /// Events the pipeline has numbered (`AuditWriter.reserveIDs`).
    case events([StoredEvent])
    /// A ban and its `block` action; the decision goes to the plugins once written.
    case block(StoredBan, StoredAction, PluginDecision)
    /// Lifts the ban and records the `unblock` action, then dispatches.
    case unblock(StoredBan, StoredAction, PluginDecision)
    /// Marks the ban expired and records the `expire` action, then dispatches.
    case expire(StoredBan, StoredAction, PluginDecision)
    case action(StoredAction)
    case retention(olderThanNs: Int64)
    /// Signalled once everything submitted before it is committed.
    case sync(DispatchSemaphore)
}

/// A ban change submitted but not yet committed: what the pipeline's ban lookups must see.
struct UncommittedBan: Sendable {
    var ban: StoredBan
    /// False once lifted or expired.
    var inForce: Bool
    /// Jobs for this address still in the queue.
    var jobs: Int
}

/// What a committed run of jobs asks of the engine afterwards.
struct AuditCommit: Sendable {
    /// Decisions for the action plugins, with their action ids (0 when the write failed).
    var decisions: [PluginDecision] = []
    /// Logins, for the check of failures just before them.
    var successes: [StoredEvent] = []
    var eventsStored = 0
}

/// Writes the audit (events, bans, actions) on a thread of its own, many jobs per
/// transaction, so that the pipeline thread only parses, detects and decides. Decisions reach
/// the plugins after their ban is committed (or failed to commit: a full disk must not stop
/// blocking). Until `start()` it writes each job at once on the caller's thread, which is
/// what the CLI and tests get.
///
/// Event ids are handed out here, before the rows exist: the daemon is the only writer of
/// events, and a detector sees the id its event will have.
final class AuditWriter: @unchecked Sendable {
    private let store: Store
    private let logger = Logger(label: "audit")
    private let queue = BoundedQueue<AuditJob>(capacity: 16)
    private let afterCommit: @Sendable (AuditCommit) -> Void
    private let nextID: Atomic<Int64>
    private let uncommitted = Mutex<[String: UncommittedBan]>([:])
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    init(store: Store, afterCommit: @escaping @Sendable (AuditCommit) -> Void) throws {
        self.store = store
        self.afterCommit = afterCommit
        nextID = Atomic(try store.nextEventID())
    }

    /// The first of `count` consecutive event ids.
    func reserveIDs(_ count: Int) -> Int64 {
        nextID.wrappingAdd(Int64(count), ordering: .relaxed).oldValue
    }

    func start() {
        let t = Thread { [self] in
            while true {
                let jobs = queue.take(max: 256)
                if jobs.isEmpty { break }
                write(jobs)
            }
            done.signal()
        }
        t.name = "audit"
        thread = t
        t.start()
    }

    /// Writes what is queued, then stops the thread.
    func stop() {
        queue.close()
        if thread != nil { done.wait() }
    }

    /// Queues `job` (waits when the queue is full); written at once before `start()`.
    func submit(_ job: AuditJob) {
        switch job {
        case .block(let ban, _, _): note(ban, inForce: true)
        case .unblock(let ban, _, _), .expire(let ban, _, _): note(ban, inForce: false)
        default: break
        }
        if thread == nil || !queue.put(job) { write([job]) }
    }

    /// Returns once everything submitted before is committed.
    func sync() {
        guard thread != nil else { return }
        let written = DispatchSemaphore(value: 0)
        if queue.put(.sync(written)) { written.wait() }
    }

    /// The submitted but uncommitted state of `address`'s ban, if any.
    func uncommittedBan(_ address: String) -> UncommittedBan? {
        uncommitted.withLock { $0[address] }
    }

    private func note(_ ban: StoredBan, inForce: Bool) {
        uncommitted.withLock {
            $0[ban.address] = UncommittedBan(ban: ban, inForce: inForce, jobs: ($0[ban.address]?.jobs ?? 0) + 1)
        }
    }

    private func write(_ jobs: [AuditJob]) {
        var commit = AuditCommit()
        var waiters: [DispatchSemaphore] = []
        var removed = 0
        for job in jobs {
            switch job {
            case .block(_, _, let d), .unblock(_, _, let d), .expire(_, _, let d): commit.decisions.append(d)
            case .events(let events): commit.successes += events.lazy.filter { $0.kind == "auth_success" }
            case .sync(let s): waiters.append(s)
            case .action, .retention: break
            }
        }
        do {
            let ids = try store.batch { batch -> [Int64] in
                var ids: [Int64] = []
                for job in jobs {
                    switch job {
                    case .events(let events):
                        try batch.insertEvents(events)
                        commit.eventsStored += events.count
                    case .block(let ban, let action, _):
                        ids.append(try batch.recordBlock(ban, action: action))
                    case .unblock(let ban, let action, _):
                        try batch.liftBan(address: ban.address, now: action.timeNs)
                        ids.append(try batch.recordAction(action))
                    case .expire(let ban, let action, _):
                        try batch.markExpired(address: ban.address, now: action.timeNs)
                        ids.append(try batch.recordAction(action))
                    case .action(let action):
                        try batch.recordAction(action)
                    case .retention(let cutoff):
                        removed += try batch.deleteEvents(olderThanNs: cutoff)
                    case .sync:
                        break
                    }
                }
                return ids
            }
            for i in commit.decisions.indices { commit.decisions[i].id = ids[i] }
            if removed > 0 { logger.info("retention removed old events", metadata: ["events": "\(removed)"]) }
        } catch {
            // Detection and blocking go on; the events and bans of this run are lost to the audit.
            commit.eventsStored = 0
            logger.error("writing the audit failed", metadata: ["error": "\(error)", "jobs": "\(jobs.count)"])
        }
        uncommitted.withLock { pending in
            for address in commit.decisions.map(\.address) {
                pending[address]?.jobs -= 1
                if pending[address]?.jobs ?? 0 <= 0 { pending[address] = nil }
            }
        }
        afterCommit(commit)
        waiters.forEach { $0.signal() }
    }
}
