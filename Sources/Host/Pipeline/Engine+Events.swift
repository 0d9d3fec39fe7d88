import Foundation
import Logging
import PluginABI
import SSHLog

extension Engine {
    /// Enrich, number and queue for the audit (one transaction), detect, and fan out a
    /// run of events.
    func process(events: inout [IncomingEvent]) {
        guard !events.isEmpty else { return }
        defer { events.removeAll(keepingCapacity: true) }
        if !enrichers.isEmpty {
            for i in events.indices { enrich(&events[i].event) }
        }
        let first = audit.reserveIDs(events.count)
        for i in events.indices { events[i].event.id = first + Int64(i) }
        let stored = events.map(\.event)
        audit.submit(.events(EventRows(stored), logins: stored.filter { $0.kind == "auth_success" }))
        let uiWants = workers.contains { $0.plugin.file.has(SIEM_KIND_UI) }
        for i in stored.indices {
            let event = stored[i]
            eventLog?.append(event)
            for d in detectors {
                if let fn = d.descriptor.on_event {
                    _ = EventBridge.withCEvent(event) { fn(d.instance, $0) }
                }
            }
            if uiWants { fanOut(event) }
            if let address = events[i].address, events[i].counts { detect(event, address) }
            while !pending.isEmpty { apply(pending.removeFirst()) }
        }
        eventLog?.flush()
    }

    /// Every event goes to UI plugins; action plugins get high-severity ones.
    func fanOut(_ event: StoredEvent) {
        for w in workers where w.plugin.file.has(SIEM_KIND_UI) || event.severity >= Int(SIEM_SEVERITY_HIGH.rawValue) {
            w.offer(.event(event))
        }
    }

    private func enrich(_ event: inout StoredEvent) {
        var buffer = [CChar](repeating: 0, count: 4096)
        for p in enrichers {
            guard let fn = p.descriptor.enrich else { continue }
            let rc = EventBridge.withCEvent(event) { fn(p.instance, $0, &buffer, buffer.count) }
            guard rc == SIEM_OK else { continue }
            let added = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            guard let merged = JSONMerge.objects(event.attributesJSON, added) else {
                p.logger.warning("enricher output is not a JSON object; ignored", metadata: ["output": "\(added.prefix(200))"])
                continue
            }
            event.attributesJSON = merged
        }
    }

    /// Counts a failure; logins are checked by `written` once their failures are stored.
    private func detect(_ event: StoredEvent, _ address: IPAddress) {
        if event.kind == "auth_success" { return }
        guard let count = threshold.record(kind: event.kind, address: address, timeNs: event.timeNs) else { return }
        let window = config.windowSeconds
        apply(DecisionRequest(
            action: SIEM_ACTION_BLOCK.rawValue, address: address.description,
            reason: "\(Self.format(count)) failed attempts within \(window)s (threshold \(Self.format(config.failuresThreshold)))",
            origin: "threshold"))
    }

    /// After the audit writer wrote a run of jobs (on its thread): counts, decisions to the
    /// plugins, and the check of each login against the failures stored before it.
    func written(_ report: AuditReport) {
        if report.eventsStored > 0 { counters.withLock { $0.eventsStored += report.eventsStored } }
        for d in report.decisions { dispatch(d) }
        for login in report.successes {
            guard let text = login.address, let address = IPAddress(text) else { continue }
            checkCompromise(login, address)
        }
    }

    /// A success after recent failures may be a guessed password: raise a
    /// high-severity event for people to look at, but do not block.
    private func checkCompromise(_ event: StoredEvent, _ address: IPAddress) {
        let since = event.timeNs - config.compromiseWindowSeconds * 1_000_000_000
        let failures: Int
        do {
            failures = try store.recentFailureCount(address: address.description, sinceNs: since, untilNs: event.timeNs)
        } catch {
            logger.error("compromise check failed", metadata: ["error": "\(error)"])
            return
        }
        guard failures > 0 else { return }
        var alert = StoredEvent(
            timeNs: event.timeNs, kind: "possible_compromise", address: event.address, port: event.port,
            user: event.user, service: event.service, host: event.host, pid: event.pid,
            severity: Int(SIEM_SEVERITY_HIGH.rawValue), source: event.source, raw: event.raw,
            attributesJSON: "{\"recent_failures\":\(failures),\"window_seconds\":\(config.compromiseWindowSeconds)}")
        alert.id = audit.reserveIDs(1)
        do {
            // Written here, not queued: this runs on the audit writer's thread, into its
            // open transaction.
            try store.write { try $0.insertEvents([alert]) }
        } catch {
            alert.id = 0
            logger.error("storing alert failed", metadata: ["error": "\(error)"])
        }
        counters.withLock { $0.compromises += 1 }
        logger.critical("possible compromise: login after failures", metadata: [
            "category": "security", "client.ip": "\(address)", "user": "\(event.user ?? "")",
            "failures": "\(failures)",
        ])
        fanOut(alert)
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x)
    }
}

/// Merges two JSON objects (the second wins), for enricher attributes.
enum JSONMerge {
    /// nil when `added` is not a JSON object. Existing attributes that are not
    /// an object (a source's bug) are replaced.
    static func objects(_ existing: String?, _ added: String) -> String? {
        guard let new = try? JSONSerialization.jsonObject(with: Data(added.utf8)) as? [String: Any] else { return nil }
        let old = existing.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
        let merged = old.merging(new) { $1 }
        guard let data = try? JSONSerialization.data(withJSONObject: merged, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
