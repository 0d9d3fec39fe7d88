import Foundation
import PluginABI

/// A query the host cannot answer, with the rc the plugin gets.
struct QueryError: Error, CustomStringConvertible {
    let rc: siem_rc
    let description: String
}

/// What `stats` answers: store counts, pipeline counters, plugin queues.
struct HostStats: Codable, Sendable {
    var store: StoreStats
    var pipeline: EngineCounters
    var queues: [WorkerStats]
    var trackedAddresses: Int?
}

extension Engine {
    /// Answers a plugin's `query` call with JSON.
    func query(_ what: String, params: String?) throws -> String {
        let p = try QueryParams(json: params)
        let now = clock()
        switch what {
        case "events":
            return JSONText.encode(try reader.events(EventFilter(limit: p.limit, address: p.address, kind: p.kind, sinceNs: p.sinceNs)))
        case "actions":
            return JSONText.encode(try reader.actions(limit: p.limit))
        case "bans":
            return JSONText.encode(try reader.activeBans(now: now))
        case "stats":
            return JSONText.encode(try stats(now: now))
        default:
            throw QueryError(rc: SIEM_ERR_NOT_FOUND, description: "unknown query \(what) (known: events, actions, bans, stats)")
        }
    }

    func stats(now: Int64) throws -> HostStats {
        HostStats(store: try reader.stats(now: now), pipeline: counters.withLock { $0 },
                  queues: workers.map(\.stats), trackedAddresses: nil)
    }
}

/// Parameters of a query: `{"limit":50,"address":"…","kind":"…","since_ns":…}`.
struct QueryParams {
    var limit = 50
    var address: String?
    var kind: String?
    var sinceNs: Int64?

    init(json: String?) throws {
        guard let json, !json.isEmpty else { return }
        guard let obj = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw QueryError(rc: SIEM_ERR_INVALID, description: "params are not a JSON object")
        }
        if let l = obj["limit"] as? Int { limit = max(1, min(l, 10_000)) }
        address = obj["address"] as? String
        kind = obj["kind"] as? String
        sinceNs = (obj["since_ns"] as? NSNumber)?.int64Value
    }
}
