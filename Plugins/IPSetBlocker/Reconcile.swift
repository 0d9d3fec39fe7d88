import Foundation
import SSHLog

/// One active ban as the host's `query("bans")` returns it (the host's
/// StoredBan, JSON-encoded); only the fields the firewall needs.
struct ActiveBan: Decodable, Sendable {
    let address: String
    let untilNs: Int64
}

/// What one reconcile did to one set.
struct ReconcileSummary: Sendable, CustomStringConvertible {
    let set: String
    var active = 0
    /// Active bans the set did not hold (nil: the members could not be read).
    var missing: Int?
    var stale = 0
    var failures: [SetFailure] = []

    var description: String {
        let failed = failures.isEmpty ? "" : ", \(failures.count) failed"
        guard let missing else {
            return "\(set): \(active) active bans (re)added; members unknown, nothing removed\(failed)"
        }
        return "\(set): \(active) active bans, \(missing) of them were missing; \(stale) stale entries removed\(failed)"
    }
}

extension Firewall {
    /// Makes the sets match the store, which is the truth: every active ban
    /// is (re)added with its remaining time, so missing ones appear and
    /// present ones get the right timeout; every entry without an active ban
    /// is removed. When the members cannot be read, nothing is removed.
    func reconcile(with bans: [ActiveBan], nowNs: Int64) -> [ReconcileSummary] {
        let wanted = wantedEntries(bans, nowNs: nowNs)
        return config.families.map { family in
            let set = config.setName(family)
            let want = wanted[family] ?? [:]
            var summary = ReconcileSummary(set: set, active: want.count)
            var present: Set<IPAddress>?
            do {
                present = try sets.members(of: set).map(Set.init)
            } catch {
                log.error("reconcile \(set): cannot list members (\(error)); adding active bans, removing nothing")
            }
            summary.failures = sets.add(want.map { SetEntry(address: $0.key, timeout: $0.value) }, to: set)
            if let present {
                summary.missing = want.keys.filter { !present.contains($0) }.count
                let stale = present.filter { want[$0] == nil }
                summary.stale = stale.count
                if !stale.isEmpty {
                    summary.failures += want.isEmpty ? flushAll(family, stale) : sets.delete(Array(stale), from: set)
                }
            }
            for failure in summary.failures.prefix(10) { log.error("reconcile \(set): \(failure)") }
            return summary
        }
    }

    /// Active bans grouped by family, invalid ones logged and dropped. An
    /// address banned twice keeps the later end.
    private func wantedEntries(_ bans: [ActiveBan], nowNs: Int64) -> [IPFamily: [IPAddress: BanTimeout]] {
        var wanted: [IPFamily: [IPAddress: BanTimeout]] = [:]
        for ban in bans {
            guard let address = IPAddress(blockable: ban.address) else {
                log.warning("reconcile: stored ban \"\(logSafe(ban.address))\" is not an IPv4 or IPv6 address; skipped")
                continue
            }
            guard handles(address.ipFamily) else {
                log.notice("reconcile: ipv6 is off (ipv6: false); stored ban \(address) not applied")
                continue
            }
            let timeout = BanTimeout.forBan(untilNs: ban.untilNs, durationSeconds: 0, nowNs: nowNs)
            wanted[address.ipFamily, default: [:]][address] = longer(wanted[address.ipFamily]?[address], timeout)
        }
        return wanted
    }

    /// Empties a set none of whose entries is wanted: one kernel call.
    private func flushAll(_ family: IPFamily, _ stale: Set<IPAddress>) -> [SetFailure] {
        let set = config.setName(family)
        do {
            try flush(family)
            return []
        } catch {
            log.warning("reconcile \(set): flush failed (\(error)); deleting the \(stale.count) entries instead")
            return sets.delete(Array(stale), from: set)
        }
    }

    private func longer(_ a: BanTimeout?, _ b: BanTimeout) -> BanTimeout {
        switch (a, b) {
        case (.permanent?, _), (_, .permanent): return .permanent
        case (.seconds(let x)?, .seconds(let y)): return .seconds(max(x, y))
        case (nil, _): return b
        }
    }
}

/// Decodes the JSON array `query("bans")` returns.
func decodeActiveBans(_ json: String) throws -> [ActiveBan] {
    try JSONDecoder().decode([ActiveBan].self, from: Data(json.utf8))
}
