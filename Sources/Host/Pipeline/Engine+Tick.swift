import Foundation
import Logging

extension Engine {
    /// Periodic work on the pipeline thread: expiry every second, retention
    /// hourly, a performance line every minute.
    func tick() {
        let now = clock()
        guard now - lastTick >= 1_000_000_000 else { return }
        lastTick = now
        expireBans(now: now)
        if config.retentionDays > 0 && now - lastRetention >= 3_600 * 1_000_000_000 {
            lastRetention = now
            audit.submit(.retention(olderThanNs: now - Int64(config.retentionDays) * 86_400 * 1_000_000_000))
        }
        if now - lastPerformance >= 60 * 1_000_000_000 {
            lastPerformance = now
            logPerformance()
        }
    }

    private func logPerformance() {
        let c = counters.withLock { $0 }
        var meta: Logger.Metadata = [
            "category": "performance",
            "events.received": "\(c.eventsReceived)", "events.stored": "\(c.eventsStored)",
            "pipeline.depth": "\(inbox.depth)", "tracked.addresses": "\(threshold.trackedCount)",
            "bans": "\(c.blocks)",
            "batches": "\(batchTiming.count)", "batch.events": "\(batchTiming.events)",
            "batch.avg_ms": "\(String(format: "%.3f", Double(batchTiming.totalNs) / Double(max(batchTiming.count, 1)) / 1e6))",
            "batch.max_ms": "\(String(format: "%.3f", Double(batchTiming.maxNs) / 1e6))",
        ]
        batchTiming = (0, 0, 0, 0)
        for w in workers {
            let s = w.stats
            meta["queue.\(s.plugin).depth"] = "\(s.depth)"
            meta["queue.\(s.plugin).dropped"] = "\(s.dropped)"
        }
        logger.info("pipeline", metadata: meta)
    }
}
