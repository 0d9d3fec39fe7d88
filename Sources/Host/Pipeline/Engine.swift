import Foundation
import Logging
import PluginABI
import PluginKit
import SSHLog
import Synchronization

/// A request to block or unblock, from a detector, a plugin, or the CLI.
struct DecisionRequest: Sendable {
    var action: UInt32
    var address: String
    var durationSeconds: Int64 = 0
    var reason: String
    var origin: String
}

/// An event on its way through the pipeline.
struct IncomingEvent: Sendable {
    var event: StoredEvent
    /// The parsed source address, for the detector stages.
    let address: IPAddress?
    /// False for lines that repeat a failure another line reports
    /// (`SIEM_EVENT_FLAG_REPEAT`): stored, not counted towards a block.
    let counts: Bool
}

/// What the pipeline thread works through, in arrival order.
enum EngineMessage: Sendable {
    case event(IncomingEvent)
    case decision(DecisionRequest)
    /// Runs on the pipeline thread (control-socket commands).
    case call(@Sendable (Engine) -> Void)
}

/// Counters shown by `stats` and written to performance.log.
struct EngineCounters: Codable, Sendable {
    var eventsReceived = 0
    var eventsStored = 0
    var invalidEvents = 0
    var blocks = 0
    var unblocks = 0
    var expiries = 0
    var whitelistHits = 0
    var compromises = 0
}

/// The pipeline: one thread takes events from sources, passes enrichers,
/// numbers them and hands them to the audit writer, runs the detector stages and
/// turns decisions into bans, which the audit writer records and then hands to
/// the action and UI plugins. Only the pipeline thread touches detector state,
/// so the stages need no locks.
final class Engine: @unchecked Sendable {
    let config: Config
    /// The write connection: the audit writer's, and plugin state.
    let store: Store
    /// Where the pipeline and queries read: `store` until `start()`, then a second,
    /// read-only connection, which WAL lets read while the audit writer writes.
    private(set) var reader: Store
    private(set) var audit: AuditWriter!
    let bus = MessageBus()
    let logger = Logger(label: "pipeline")
    let inbox: BoundedQueue<EngineMessage>
    let counters = Mutex(EngineCounters())
    /// The wall clock for bans; tests pass a fake one.
    let clock: @Sendable () -> Int64

    let whitelist: Whitelist
    let policy: BanPolicy
    var threshold: ThresholdStage
    /// Addresses with a ban row (a Bloom filter), loaded by `start()`: lets most of the
    /// daemon's blocks skip the ledger query. nil for a one-off engine (the CLI), which
    /// just asks the store. Bans another process writes while the daemon runs
    /// (`mini-siem block` without the control socket) are missed: such an address is
    /// banned again with count 1.
    var banned: BannedFilter?

    /// security.log's per-event lines; nil when there is no security.log.
    var eventLog: EventLog?
    var enrichers: [PluginInstance] = []
    var detectors: [PluginInstance] = []
    var workers: [PluginWorker] = []

    private var thread: Thread?
    private var threadID: pthread_t?
    private let done = DispatchSemaphore(value: 0)
    /// Decisions requested by detector plugins from inside on_event.
    var pending: [DecisionRequest] = []
    var lastTick: Int64 = 0
    var lastRetention: Int64 = 0
    var lastPerformance: Int64 = 0
    /// Time spent processing event batches since the last performance line.
    var batchTiming = (count: 0, totalNs: Int64(0), maxNs: Int64(0), events: 0)

    init(config: Config, store: Store, clock: @escaping @Sendable () -> Int64 = Timestamp.nowNs) throws {
        self.config = config
        self.store = store
        reader = store
        self.clock = clock
        // Enough to ride out a burst while the writer commits; each queued event is memory.
        inbox = BoundedQueue(capacity: 16_384)
        whitelist = Whitelist(config.whitelist)
        policy = BanPolicy(baseSeconds: config.blockSeconds, factor: config.repeatFactor,
                           maxSeconds: config.maxBlockSeconds)
        threshold = ThresholdStage(threshold: config.failuresThreshold, windowSeconds: config.windowSeconds,
                                   weights: config.eventWeights, maxTracked: config.maxTrackedAddresses)
        audit = try AuditWriter(store: store) { [unowned self] in written($0) }
    }

    /// Starts the checkpointer, the audit writer and the pipeline thread.
    func start() throws {
        reader = try Store(path: store.path, readOnly: true)
        var filter = BannedFilter()
        for text in try store.bannedAddresses() {
            if let address = IPAddress(text) { filter.insert(address) }
        }
        banned = filter
        let checkpointer = try Checkpointer(path: store.path)
        try store.setAutoCheckpoint(pages: Checkpointer.writerFallbackPages)
        checkpointer.start()
        audit.checkpointer = checkpointer
        audit.start()
        let t = Thread { [self] in
            threadID = pthread_self()
            run()
            done.signal()
        }
        t.name = "pipeline"
        thread = t
        t.start()
    }

    /// Processes what is queued, then stops the pipeline thread and the audit writer.
    func stop() {
        inbox.close()
        if thread != nil { done.wait() }
        audit.stop()
        audit.checkpointer?.stop()
    }

    /// True while the pipeline thread runs.
    var isRunning: Bool { thread != nil && !inbox.isClosed }

    var onPipelineThread: Bool {
        guard let id = threadID else { return false }
        return pthread_equal(id, pthread_self()) != 0
    }

    /// From sources (any thread): copy, validate, queue (waits when full).
    func accept(event: UnsafePointer<siem_event>, from plugin: PluginInstance) -> siem_rc {
        do {
            let incoming = try EventBridge.stored(event)
            counters.withLock { $0.eventsReceived += 1 }
            return inbox.put(.event(incoming)) ? SIEM_OK : SIEM_ERR_FAILED
        } catch {
            counters.withLock { $0.invalidEvents += 1 }
            plugin.logger.warning("event refused", metadata: ["error": "\(error)"])
            return SIEM_ERR_INVALID
        }
    }

    /// From plugins or the control socket: queue a decision.
    func submit(_ request: DecisionRequest) -> siem_rc {
        guard IPAddress(request.address) != nil else { return SIEM_ERR_INVALID }
        guard request.action == SIEM_ACTION_BLOCK.rawValue || request.action == SIEM_ACTION_UNBLOCK.rawValue else {
            return SIEM_ERR_INVALID
        }
        if onPipelineThread {
            pending.append(request)
            return SIEM_OK
        }
        return inbox.put(.decision(request)) ? SIEM_OK : SIEM_ERR_FAILED
    }

    /// Runs `body` on the pipeline thread and returns its result.
    func onPipeline<T: Sendable>(_ body: @escaping @Sendable (Engine) -> T) -> T? {
        let box = Mutex<T?>(nil)
        let finished = DispatchSemaphore(value: 0)
        guard inbox.put(.call { engine in
            box.withLock { $0 = body(engine) }
            finished.signal()
        }) else { return nil }
        finished.wait()
        return box.withLock { $0 }
    }

    private func run() {
        while true {
            var batch = inbox.take(max: 4_096, until: Date(timeIntervalSinceNow: 1))
            let taken = batch.count
            var events: [IncomingEvent] = []
            events.reserveCapacity(taken)
            // Moved out one by one (popLast), not copied: a copy retains every string of the event.
            batch.reverse()
            while let message = batch.popLast() {
                switch consume message {
                case .event(let e):
                    events.append(e)
                case .decision(let d):
                    process(events: &events)
                    apply(d)
                case .call(let body):
                    process(events: &events)
                    body(self)
                }
            }
            let begin = Timestamp.nowNs()
            let n = events.count
            process(events: &events)
            if n > 0 {
                let took = Timestamp.nowNs() - begin
                batchTiming = (batchTiming.count + 1, batchTiming.totalNs + took, max(batchTiming.maxNs, took),
                               batchTiming.events + n)
            }
            tick()
            if taken == 0 && inbox.isClosedAndEmpty { break }
        }
    }
}
