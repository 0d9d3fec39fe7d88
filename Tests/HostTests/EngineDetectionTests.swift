import Foundation
import PluginABI
import SSHLog
import Synchronization
import Testing
@testable import Host

/// A wall clock the test moves by hand.
final class FakeClock: Sendable {
    private let value: Atomic<Int64>
    init(_ start: Int64) { value = Atomic(start) }
    var now: Int64 { value.load(ordering: .relaxed) }
    func advance(seconds: Int64) { value.add(nanos(seconds), ordering: .relaxed) }
}

/// The detector stages inside the engine, driven directly (no threads) with a fake clock:
/// threshold, whitelist, repeat-offender escalation and the possible-compromise alert.
@Suite("Engine detection")
struct EngineDetectionTests {
    /// An engine on a fresh store in `root`; the clock starts at a fixed, realistic time.
    static func engine(in root: String, _ adjust: (inout Config) -> Void = { _ in }) throws -> (Engine, FakeClock) {
        _ = LogCapture.shared  // keeps the engine's log lines out of the test output
        var config = daemonConfig(root: root, pluginDir: root + "/plugins")
        adjust(&config)
        let clock = FakeClock(nanos(1_800_000_000))
        let engine = try Engine(config: config, store: try Store(path: config.database), clock: { clock.now })
        return (engine, clock)
    }

    /// An event as a source plugin hands it over: through the C struct and the bridge.
    static func event(_ kind: siem_event_kind, _ address: String, at timeNs: Int64,
                      user: String = "root", flags: UInt32 = 0) throws -> IncomingEvent {
        var c = siem_event()
        c.struct_size = UInt32(MemoryLayout<siem_event>.size)
        c.kind = kind.rawValue
        c.time_ns = timeNs
        c.flags = flags
        return try address.withCString { a in
            try user.withCString { u in
                c.address = a
                c.user = u
                return try withUnsafePointer(to: &c) { try EventBridge.stored($0) }
            }
        }
    }

    /// Feeds events one at a time, as they would arrive.
    static func feed(_ engine: Engine, _ kind: siem_event_kind, _ address: String, count: Int,
                     from start: Int64, user: String = "root") throws {
        for i in 0..<count {
            var batch = [try event(kind, address, at: start + nanos(Int64(i)), user: user)]
            engine.process(events: &batch)
        }
    }

    static func actions(_ engine: Engine) throws -> [StoredAction] {
        try engine.store.actions(limit: 0).sorted { $0.id < $1.id }
    }

    @Test func repeatLinesAreStoredButNotCounted() throws {
        try withScratchDirectory { root in
            let (engine, clock) = try Self.engine(in: root)
            // Four guesses, each echoed by a PAM line: 8 events, 4 attempts.
            var batch: [IncomingEvent] = []
            for i in 0..<4 {
                let t = clock.now + nanos(Int64(i))
                batch.append(try Self.event(SIEM_EVENT_AUTH_FAILURE, "203.0.113.9", at: t,
                                            flags: SIEM_EVENT_FLAG_REPEAT.rawValue))
                batch.append(try Self.event(SIEM_EVENT_AUTH_FAILURE, "203.0.113.9", at: t))
            }
            engine.process(events: &batch)
            #expect(try engine.store.events(EventFilter(limit: 0, address: "203.0.113.9")).count == 8)
            #expect(try Self.actions(engine).isEmpty)
            // The fifth guess blocks.
            try Self.feed(engine, SIEM_EVENT_AUTH_FAILURE, "203.0.113.9", count: 1, from: clock.now + nanos(5))
            #expect(try Self.actions(engine).map(\.action) == ["block"])
        }
    }

    @Test func fiveFailuresWithinTheWindowBlockAndFourDoNot() throws {
        try withScratchDirectory { root in
            let (engine, clock) = try Self.engine(in: root)
            let threshold = Int(engine.config.failuresThreshold)
            try Self.feed(engine, SIEM_EVENT_AUTH_FAILURE, "203.0.113.5", count: threshold, from: clock.now)
            try Self.feed(engine, SIEM_EVENT_AUTH_FAILURE, "203.0.113.6", count: threshold - 1, from: clock.now)

            let actions = try Self.actions(engine)
            #expect(actions.map(\.action) == ["block"])
            #expect(actions.map(\.address) == ["203.0.113.5"])
            #expect(actions.first?.origin == "threshold")
            #expect(actions.first?.reason?.contains("\(threshold) failed attempts within \(engine.config.windowSeconds)s") == true)
            let ban = try #require(try engine.store.activeBan(address: "203.0.113.5", now: clock.now))
            #expect(ban.count == 1)
            #expect(ban.untilNs - ban.sinceNs == nanos(engine.config.blockSeconds))
            #expect(try engine.store.activeBan(address: "203.0.113.6", now: clock.now) == nil)

            // One more for .6, but after its first attempts left the window: still no block.
            let late = clock.now + nanos(engine.config.windowSeconds + 2)
            try Self.feed(engine, SIEM_EVENT_AUTH_FAILURE, "203.0.113.6", count: 1, from: late)
            #expect(try Self.actions(engine).count == 1)
        }
    }

    @Test func whitelistedAddressIsNeverBlockedInEitherSpelling() throws {
        try withScratchDirectory { root in
            let (engine, clock) = try Self.engine(in: root) { $0.whitelist = [CIDR("198.51.100.10/32")!] }
            let threshold = Int(engine.config.failuresThreshold)
            try Self.feed(engine, SIEM_EVENT_AUTH_FAILURE, "::ffff:198.51.100.10", count: 2 * threshold, from: clock.now)
            // The neighbour is not covered and is blocked as usual.
            try Self.feed(engine, SIEM_EVENT_AUTH_FAILURE, "198.51.100.11", count: threshold, from: clock.now)
            let byHand = engine.apply(DecisionRequest(action: SIEM_ACTION_BLOCK.rawValue, address: "::ffff:198.51.100.10",
                                                      reason: "by hand", origin: "cli"))
            #expect(!byHand.ok)
            #expect(byHand.message.contains("whitelisted"))

            let actions = try Self.actions(engine)
            let hits = actions.filter { $0.action == "whitelist_hit" }
            #expect(hits.map(\.origin) == ["threshold", "threshold", "cli"])
            #expect(Set(hits.compactMap(\.address)) == ["198.51.100.10"])
            #expect(actions.filter { $0.action == "block" }.map(\.address) == ["198.51.100.11"])
            #expect(try engine.store.activeBans(now: clock.now).map(\.address) == ["198.51.100.11"])
            #expect(engine.counters.withLock { $0.whitelistHits } == 3)
            // Stored in the folded form, so queries by either spelling agree.
            let stored = try engine.store.events(EventFilter(limit: 0, address: "198.51.100.10"))
            #expect(stored.count == 2 * threshold)
        }
    }

    @Test func repeatOffenderBansGrowByTheFactor() throws {
        try withScratchDirectory { root in
            let (engine, clock) = try Self.engine(in: root) { c in
                c.blockSeconds = 60
                c.repeatFactor = 3
                c.maxBlockSeconds = 100_000
            }
            let address = "203.0.113.9"
            let threshold = Int(engine.config.failuresThreshold)
            func attack() throws -> StoredBan {
                try Self.feed(engine, SIEM_EVENT_INVALID_USER, address, count: threshold, from: clock.now)
                return try #require(try engine.store.activeBan(address: address, now: clock.now))
            }
            let first = try attack()
            #expect(first.count == 1)
            #expect(first.untilNs - first.sinceNs == nanos(60))

            let lifted = engine.apply(DecisionRequest(action: SIEM_ACTION_UNBLOCK.rawValue, address: address,
                                                      reason: "false alarm", origin: "cli"))
            #expect(lifted.ok)
            #expect(try engine.store.activeBan(address: address, now: clock.now) == nil)
            clock.advance(seconds: 10)

            let second = try attack()
            #expect(second.count == 2)
            #expect(second.untilNs - second.sinceNs == nanos(60 * 3))

            // The second ban runs out: the expiry sweep ends it.
            clock.advance(seconds: 60 * 3 + 1)
            engine.tick()
            #expect(try engine.store.activeBan(address: address, now: clock.now) == nil)
            #expect(engine.counters.withLock { $0.expiries } == 1)

            let third = try attack()
            #expect(third.count == 3)
            #expect(third.untilNs - third.sinceNs == nanos(60 * 3 * 3))

            let actions = try Self.actions(engine)
            #expect(actions.map(\.action) == ["block", "unblock", "block", "expire", "block"])
            #expect(actions.compactMap(\.durationSeconds) == [60, 180, 540])
            #expect(actions.map(\.origin) == ["threshold", "cli", "threshold", "expiry", "threshold"])
        }
    }

    @Test func successAfterFailuresRaisesAnAlertButNoBlock() throws {
        try withScratchDirectory { root in
            let (engine, clock) = try Self.engine(in: root)
            let start = clock.now
            try Self.feed(engine, SIEM_EVENT_AUTH_FAILURE, "203.0.113.50", count: 3, from: start, user: "deploy")
            try Self.feed(engine, SIEM_EVENT_AUTH_SUCCESS, "203.0.113.50", count: 1, from: start + nanos(30), user: "deploy")
            // A success with no failures before it is just a login.
            try Self.feed(engine, SIEM_EVENT_AUTH_SUCCESS, "203.0.113.51", count: 1, from: start + nanos(30))

            let alerts = try engine.store.events(EventFilter(limit: 0, kind: "possible_compromise"))
            #expect(alerts.count == 1)
            let alert = try #require(alerts.first)
            #expect(alert.address == "203.0.113.50")
            #expect(alert.severity == Int(SIEM_SEVERITY_HIGH.rawValue))
            #expect(alert.severity == 3)
            #expect(alert.user == "deploy")
            #expect(alert.attributesJSON?.contains(#""recent_failures":3"#) == true)
            #expect(engine.counters.withLock { $0.compromises } == 1)
            #expect(try Self.actions(engine).isEmpty)
            #expect(try engine.store.activeBans(now: clock.now).isEmpty)
        }
    }

    @Test func hugeRequestedDurationSaturatesInsteadOfOverflowing() throws {
        try withScratchDirectory { root in
            let (engine, clock) = try Self.engine(in: root)
            let outcome = engine.apply(DecisionRequest(action: SIEM_ACTION_BLOCK.rawValue, address: "192.0.2.9",
                                                       durationSeconds: Int64.max / 2, reason: "forever", origin: "cli"))
            #expect(outcome.ok)
            let ban = try #require(try engine.store.activeBan(address: "192.0.2.9", now: clock.now))
            #expect(ban.untilNs == Int64.max)
        }
    }

    @Test func unblockOfAnAddressThatIsNotBlockedChangesNothing() throws {
        try withScratchDirectory { root in
            let (engine, _) = try Self.engine(in: root)
            let outcome = engine.apply(DecisionRequest(action: SIEM_ACTION_UNBLOCK.rawValue, address: "192.0.2.200",
                                                       reason: "r", origin: "cli"))
            #expect(!outcome.ok)
            #expect(outcome.message.contains("not blocked"))
            #expect(try Self.actions(engine).isEmpty)
            #expect(!engine.apply(DecisionRequest(action: SIEM_ACTION_BLOCK.rawValue, address: "not-an-ip",
                                                  reason: "r", origin: "cli")).ok)
        }
    }
}
