import Foundation
import PluginABI
import PluginKit
import Synchronization

/// What an action/UI plugin's thread delivers.
enum WorkItem: @unchecked Sendable {
    case event(StoredEvent)
    case decision(PluginDecision)
    case message(topic: String, json: String, fn: siem_message_fn, user: UnsafeMutableRawPointer?)
}

/// Counters for one worker, shown by `stats` and the performance log.
struct WorkerStats: Codable, Sendable {
    var plugin: String
    var depth: Int
    var delivered: Int
    var dropped: Int
    var failed: Int
}

/// Runs one action/UI plugin behind its own bounded queue and thread, so a
/// plugin that blocks delays nobody else. Overflow is dropped and counted.
final class PluginWorker: @unchecked Sendable {
    let plugin: PluginInstance
    private let queue: BoundedQueue<WorkItem>
    private let counters = Mutex((delivered: 0, dropped: 0, failed: 0))
    private let finished = DispatchSemaphore(value: 0)
    private var thread: Thread?

    init(plugin: PluginInstance, capacity: Int) {
        self.plugin = plugin
        queue = BoundedQueue(capacity: capacity)
    }

    func start() {
        let t = Thread { [self] in run() }
        t.name = "worker.\(plugin.name)"
        thread = t
        t.start()
    }

    /// Queues without waiting; a full queue drops the item and counts it.
    func offer(_ item: WorkItem) {
        guard !queue.offer(item) else { return }
        let dropped = counters.withLock { c -> Int in
            c.dropped += 1
            return c.dropped
        }
        // Log the first drop and then every 1000th, not every one.
        if dropped == 1 || dropped % 1000 == 0 {
            plugin.logger.warning("queue full, dropping", metadata: ["queue.dropped": "\(dropped)"])
        }
    }

    var stats: WorkerStats {
        let c = counters.withLock { $0 }
        return WorkerStats(plugin: plugin.name, depth: queue.depth, delivered: c.delivered,
                           dropped: c.dropped, failed: c.failed)
    }

    /// Stops taking work and waits until the queue is drained or `deadline`.
    /// Returns false when the plugin is still busy at the deadline.
    func drain(deadline: Date) -> Bool {
        queue.close()
        guard thread != nil else { return true }
        return finished.wait(timeout: .now() + max(0, deadline.timeIntervalSinceNow)) == .success
    }

    private func run() {
        let d = plugin.descriptor
        while true {
            let items = queue.take(max: 256)
            if items.isEmpty { break }
            for item in items {
                let rc: siem_rc
                switch item {
                case .event(let e):
                    guard let fn = d.on_event else { continue }
                    rc = EventBridge.withCEvent(e) { fn(plugin.instance, $0) }
                case .decision(let decision):
                    guard let fn = d.on_decision else { continue }
                    rc = decision.withCDecision { fn(plugin.instance, $0) }
                case .message(let topic, let json, let fn, let user):
                    fn(user, topic, json)
                    rc = SIEM_OK
                }
                counters.withLock { c in
                    c.delivered += 1
                    if rc != SIEM_OK { c.failed += 1 }
                }
                if rc != SIEM_OK {
                    plugin.logger.error("plugin call failed", metadata: ["error": "\(plugin.lastError())"])
                }
            }
        }
        finished.signal()
    }
}
