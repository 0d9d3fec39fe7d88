import Foundation
import Logging
import PluginKit
import Synchronization

/// A write for the audit writer. Jobs are written in the order they were submitted.
enum AuditJob: Sendable {
    /// Events the pipeline has numbered (`AuditWriter.reserveIDs`), laid out for binding, and
    /// the logins among them (for the check that follows their writing).
    case events(EventRows, logins: [StoredEvent])
    /// A ban and its `block` action; the decision goes to the plugins once written.
    case block(StoredBan, StoredAction, PluginDecision)
    /// Lifts the ban and records the `unblock` action, then dispatches.
    case unblock(StoredBan, StoredAction, PluginDecision)
    /// Marks the ban expired and records the `expire` action, then dispatches.
    case expire(StoredBan, StoredAction, PluginDecision)
    case action(StoredAction)
    /// A plugin's state (a file position): queued behind the events before it.
    case state(plugin: String, key: String, value: String?)
    case retention(olderThanNs: Int64)
    /// Signalled once everything submitted before it is committed.
    case sync(DispatchSemaphore)
}

/// A ban change submitted but not yet committed: what the pipeline's ban lookups must see.
struct UncommittedBan: Sendable {
    var ban: StoredBan
    /// False once lifted or expired.
    var inForce: Bool
    /// Jobs for this address not yet committed.
    var jobs: Int
}

/// What a run of written jobs asks of the engine afterwards.
struct AuditReport: Sendable {
    /// Decisions for the action plugins, with their action ids (0 when the write failed).
    var decisions: [PluginDecision] = []
    /// Logins, for the check of failures just before them.
    var successes: [StoredEvent] = []
    var eventsStored = 0
}

/// Writes the audit (events, bans, actions) on a thread of its own, so that the pipeline
/// thread only parses, detects and decides.
///
/// Group commit: jobs are written into one open transaction, committed when the writer is
/// idle for `idleCommit`, when the transaction is `maxCommitDelayNs` old or holds
/// `maxEventsPerCommit` events, and on `sync()`. Every commit rewrites each page it dirtied
/// (the index leaves of random attacker addresses) into the WAL, so committing per small batch
/// cost a page of WAL per event. A decision goes to the plugins as soon as its rows are
/// written, not at the commit, so bans are not delayed; a failed write is logged and the
/// decision still goes out: a full disk must not stop blocking. Until `start()` each job is
/// written and committed at once on the caller's thread, which is what the CLI and tests get.
///
/// Event ids are handed out here, before the rows exist: the daemon is the only writer of
/// events, and a detector sees the id its event will have.
final class AuditWriter: @unchecked Sendable {
    static let idleCommit: TimeInterval = 0.002
    static let maxCommitDelayNs: Int64 = 50_000_000
    static let maxEventsPerCommit = 16_384

    private let store: Store
    private let logger = Logger(label: "audit")
    /// Counted in events (a ban or state write counts 1): enough to keep the writer busy,
    /// few enough that the queue stays near ten megabytes, however many bans come in between.
    private let queue = BoundedQueue<AuditJob>(capacity: 32_768) { job in
        if case .events(let rows, _) = job { max(1, rows.count) } else { 1 }
    }
    private let afterWrite: @Sendable (AuditReport) -> Void
    private let nextID: Atomic<Int64>
    private let uncommitted = Mutex<[String: UncommittedBan]>([:])
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)
    /// Set by `stop()` once the thread has ended: later jobs are written at once again.
    private let stopped = Atomic(false)
    /// Told after each commit; set before `start()`.
    var checkpointer: Checkpointer?
    /// The open transaction (writer thread only): when it began, its events, the ban
    /// changes to forget at its commit, and who waits for that commit.
    private var openSince: Int64?
    private var eventsInTransaction = 0
    private var bansInTransaction: [String] = []
    private var waiters: [DispatchSemaphore] = []

    init(store: Store, afterWrite: @escaping @Sendable (AuditReport) -> Void) throws {
        self.store = store
        self.afterWrite = afterWrite
        nextID = Atomic(try store.nextEventID())
    }

    /// The first of `count` consecutive event ids.
    func reserveIDs(_ count: Int) -> Int64 {
        nextID.wrappingAdd(Int64(count), ordering: .relaxed).oldValue
    }

    func start() {
        let t = Thread { [self] in
            while true {
                let jobs = queue.take(max: 256, until: openSince == nil ? nil : Date(timeIntervalSinceNow: Self.idleCommit))
                if jobs.isEmpty {
                    commit()
                    if queue.isClosedAndEmpty { break }
                    continue
                }
                write(jobs)
                if !waiters.isEmpty || eventsInTransaction >= Self.maxEventsPerCommit
                    || openSince.map({ Timestamp.nowNs() - $0 >= Self.maxCommitDelayNs }) == true {
                    commit()
                }
            }
            done.signal()
        }
        t.name = "audit"
        thread = t
        t.start()
    }

    /// Writes and commits what is queued, then stops the thread.
    func stop() {
        queue.close()
        if thread != nil { done.wait() }
        stopped.store(true, ordering: .sequentiallyConsistent)
    }

    /// True between `start()` and `stop()`.
    var isRunning: Bool { thread != nil && !stopped.load(ordering: .sequentiallyConsistent) }

    /// Queues `job` (waits when the queue is full); written at once before `start()` and
    /// after `stop()` (a plugin saving its state as it stops).
    func submit(_ job: AuditJob) {
        if let ban = job.ban {
            if case .block = job { note(ban, inForce: true) } else { note(ban, inForce: false) }
        }
        if !isRunning {
            write([job])
            commit()
        } else if !queue.put(job) {
            // Between close and the end of the thread: nobody submits then (the engine
            // stops its writer last, after the pipeline).
            logger.error("audit writer stopping; not written", metadata: ["job": "\(job.name)"])
        }
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

    /// Writes `jobs` into the open transaction (opening one if needed), each on its own: a
    /// job that fails is logged and the others stand.
    private func write(_ jobs: [AuditJob]) {
        var report = AuditReport()
        for job in jobs {
            if case .sync(let waiter) = job {
                waiters.append(waiter)
                continue
            }
            do {
                if openSince == nil {
                    try store.begin()
                    openSince = Timestamp.nowNs()
                }
                try store.write { try perform(job, in: $0, report: &report) }
            } catch {
                logger.error("writing the audit failed", metadata: ["error": "\(error)", "job": "\(job.name)"])
                if let d = job.decision { report.decisions.append(d) }
                if !store.isInTransaction && openSince != nil {
                    // SQLite gave up the whole transaction (disk full, I/O error): say what went.
                    logger.error("audit transaction rolled back", metadata: ["events": "\(eventsInTransaction)"])
                    finishTransaction()
                }
            }
            if let ban = job.ban { bansInTransaction.append(ban.address) }
        }
        afterWrite(report)
    }

    private func perform(_ job: AuditJob, in batch: StoreBatch, report: inout AuditReport) throws {
        switch job {
        case .events(let rows, let logins):
            try batch.insertEvents(rows)
            eventsInTransaction += rows.count
            report.eventsStored += rows.count
            report.successes += logins
        case .block(let ban, let action, var decision):
            decision.id = try batch.recordBlock(ban, action: action)
            report.decisions.append(decision)
        case .unblock(let ban, let action, var decision):
            try batch.liftBan(address: ban.address, now: action.timeNs)
            decision.id = try batch.recordAction(action)
            report.decisions.append(decision)
        case .expire(let ban, let action, var decision):
            try batch.markExpired(address: ban.address, now: action.timeNs)
            decision.id = try batch.recordAction(action)
            report.decisions.append(decision)
        case .action(let action):
            try batch.recordAction(action)
        case .state(let plugin, let key, let value):
            try batch.setState(plugin: plugin, key: key, value: value)
        case .retention(let cutoff):
            let removed = try batch.deleteEvents(olderThanNs: cutoff)
            if removed > 0 { logger.info("retention removed old events", metadata: ["events": "\(removed)"]) }
        case .sync:
            break
        }
    }

    /// Commits the open transaction, if any, and wakes whoever waits for it.
    private func commit() {
        if openSince != nil {
            do {
                try store.commit()
                checkpointer?.nudge()
            } catch {
                logger.error("committing the audit failed", metadata: ["error": "\(error)", "events": "\(eventsInTransaction)"])
                store.rollback()
            }
            finishTransaction()
        }
        waiters.forEach { $0.signal() }
        waiters.removeAll()
    }

    /// After a commit or rollback: the pipeline reads the store again for these bans.
    private func finishTransaction() {
        openSince = nil
        eventsInTransaction = 0
        uncommitted.withLock { pending in
            for address in bansInTransaction {
                pending[address]?.jobs -= 1
                if pending[address]?.jobs ?? 0 <= 0 { pending[address] = nil }
            }
        }
        bansInTransaction.removeAll()
    }
}

extension AuditJob {
    /// The ban a block, unblock or expiry changes.
    var ban: StoredBan? {
        switch self {
        case .block(let ban, _, _), .unblock(let ban, _, _), .expire(let ban, _, _): ban
        default: nil
        }
    }

    /// The decision a block, unblock or expiry hands to the plugins.
    var decision: PluginDecision? {
        switch self {
        case .block(_, _, let d), .unblock(_, _, let d), .expire(_, _, let d): d
        default: nil
        }
    }

    /// For log lines.
    var name: String {
        switch self {
        case .events(let rows, _): "events (\(rows.count))"
        case .block: "block"
        case .unblock: "unblock"
        case .expire: "expire"
        case .action(let a): a.action
        case .state(let plugin, let key, _): "state \(plugin)/\(key)"
        case .retention: "retention"
        case .sync: "sync"
        }
    }
}
