import Foundation
import Logging
import PluginABI
import PluginKit
import SSHLog

/// Result of a decision, for the control socket's reply.
struct DecisionOutcome: Codable, Sendable {
    var ok: Bool
    var message: String
    var ban: StoredBan?
}

extension Engine {
    /// Applies a block or unblock: whitelist, ledger, audit, action plugins.
    @discardableResult
    func apply(_ request: DecisionRequest) -> DecisionOutcome {
        guard let address = IPAddress(request.address) else {
            return DecisionOutcome(ok: false, message: "not an IP address: \(request.address)")
        }
        let now = clock()
        do {
            switch request.action {
            case SIEM_ACTION_BLOCK.rawValue:
                return try block(address, request, now: now)
            case SIEM_ACTION_UNBLOCK.rawValue:
                return try unblock(address, request, now: now)
            default:
                return DecisionOutcome(ok: false, message: "unknown action \(request.action)")
            }
        } catch {
            logger.error("decision failed", metadata: ["client.ip": "\(address)", "error": "\(error)"])
            return DecisionOutcome(ok: false, message: "store error: \(error)")
        }
    }

    private func block(_ address: IPAddress, _ r: DecisionRequest, now: Int64) throws -> DecisionOutcome {
        let text = address.description
        if let entry = whitelist.match(address) {
            counters.withLock { $0.whitelistHits += 1 }
            audit.submit(.action(StoredAction(timeNs: now, action: "whitelist_hit", address: text,
                                              reason: "\(r.reason); whitelisted by \(entry)", origin: r.origin)))
            logger.notice("whitelisted address not blocked", metadata: [
                "category": "security", "client.ip": "\(text)", "whitelist": "\(entry)", "reason": "\(r.reason)",
            ])
                return DecisionOutcome(ok: false, message: "\(text) is whitelisted by \(entry)")
        }
        let record = try banRecord(address, text, now: now)
        if let record, record.active {
            return DecisionOutcome(ok: true, message: "\(text) is already blocked", ban: record.ban)
        }
        let count = (record?.ban.count ?? 0) + 1
        let seconds = policy.duration(count: count, requested: r.durationSeconds)
        // A huge requested duration (plugin, CLI) must saturate, not trap on overflow.
        let untilNs = seconds >= (Int64.max - now) / 1_000_000_000 ? Int64.max : now + seconds * 1_000_000_000
        let ban = StoredBan(address: text, sinceNs: now, untilNs: untilNs,
                            reason: r.reason, count: count, origin: r.origin)
        var decision = PluginDecision(action: SIEM_ACTION_BLOCK.rawValue, address: text)
        decision.family = UInt32(address.family)
        decision.count = UInt32(count)
        decision.durationSeconds = seconds
        decision.untilNs = ban.untilNs
        decision.reason = r.reason
        decision.origin = r.origin
        counters.withLock { $0.blocks += 1 }
        banned?.insert(address)
        let meta: Logger.Metadata = [
            "client.ip": "\(text)", "ban.duration": "\(seconds)", "ban.count": "\(count)",
            "reason": "\(r.reason)", "origin": "\(r.origin)",
        ]
        logger.warning("blocked", metadata: meta.merging(["category": "security"]) { $1 })
        audit.submit(.block(ban, StoredAction(timeNs: now, action: "block", address: text, durationSeconds: seconds,
                                              reason: r.reason, origin: r.origin), decision))
        return DecisionOutcome(ok: true, message: "blocked \(text) for \(seconds)s", ban: ban)
    }

    private func unblock(_ address: IPAddress, _ r: DecisionRequest, now: Int64) throws -> DecisionOutcome {
        let text = address.description
        threshold.forget(address)
        guard let record = try banRecord(address, text, now: now), record.active else {
            return DecisionOutcome(ok: false, message: "\(text) is not blocked")
        }
        let lifted = record.ban
        var decision = PluginDecision(action: SIEM_ACTION_UNBLOCK.rawValue, address: text)
        decision.family = UInt32(address.family)
        decision.reason = r.reason
        decision.origin = r.origin
        counters.withLock { $0.unblocks += 1 }
        logger.notice("unblocked", metadata: ["category": "security", "client.ip": "\(text)", "origin": "\(r.origin)"])
        audit.submit(.unblock(lifted, StoredAction(timeNs: now, action: "unblock", address: text,
                                                   reason: r.reason, origin: r.origin), decision))
        return DecisionOutcome(ok: true, message: "unblocked \(text)", ban: lifted)
    }

    /// The address's ban and whether it is in force: what the pipeline decided last, even
    /// if the audit writer has not committed it yet, else the store's record.
    func banRecord(_ address: IPAddress, _ text: String, now: Int64) throws -> (ban: StoredBan, active: Bool)? {
        if let pending = audit.uncommittedBan(text) {
            return (pending.ban, pending.inForce && pending.ban.untilNs > now)
        }
        if let banned, !banned.mayContain(address) { return nil }
        return try reader.banRecord(address: text, now: now)
    }

    /// Ends bans whose time has come. Bans with changes still on their way to the store are
    /// left to a later sweep.
    func expireBans(now: Int64) {
        do {
            for ban in try reader.expiredBans(now: now) where audit.uncommittedBan(ban.address) == nil {
                var decision = PluginDecision(action: SIEM_ACTION_EXPIRE.rawValue, address: ban.address)
                decision.family = UInt32(IPAddress(ban.address)?.family ?? 0)
                decision.count = UInt32(ban.count)
                decision.reason = "ban ended"
                decision.origin = "expiry"
                counters.withLock { $0.expiries += 1 }
                logger.info("ban expired", metadata: ["category": "security", "client.ip": "\(ban.address)"])
                audit.submit(.expire(ban, StoredAction(timeNs: now, action: "expire", address: ban.address,
                                                       reason: "ban ended", origin: "expiry"), decision))
            }
        } catch {
            logger.error("expiring bans failed", metadata: ["error": "\(error)"])
        }
    }

    func dispatch(_ decision: PluginDecision) {
        for w in workers { w.offer(.decision(decision)) }
        if bus.hasSubscribers("decisions") {
            bus.publish(topic: "decisions", json: JSONText.encode(decision))
        }
    }
}
