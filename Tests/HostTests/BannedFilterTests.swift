import PluginABI
import SSHLog
import Testing
@testable import Host

@Suite("Banned filter")
struct BannedFilterTests {
    @Test func insertedAddressesAreAlwaysMaybesAndOthersRarely() {
        var filter = BannedFilter()
        let inserted = (0..<100_000).map { IPAddress(ipv4: 0xC612_0000 + UInt32($0)) }  // 198.18.0.0 on
        inserted.forEach { filter.insert($0) }
        #expect(inserted.allSatisfy { filter.mayContain($0) })
        let others = (0..<100_000).map { IPAddress(hi: 0x2001_0db8_0000_0000, lo: UInt64($0)) }
        let falseMaybes = others.filter { filter.mayContain($0) }.count
        #expect(falseMaybes < 1_000, "false positives: \(falseMaybes)")
    }

    @Test func aBanStoredBeforeTheEngineStartedStillCountsAsARepeat() throws {
        try withScratchDirectory { root in
            let config = daemonConfig(root: root, pluginDir: root + "/plugins")
            let store = try Store(path: config.database)
            try store.upsertBan(StoredBan(address: "203.0.113.44", sinceNs: 1, untilNs: 2, reason: "earlier",
                                          count: 2, origin: "test"))
            // A started engine, which loads its filter of banned addresses from the store.
            let (engine, clock) = try EngineDetectionTests.engine(in: root)
            try engine.start()
            for i in 0..<5 {
                engine.inbox.put(.event(try EngineDetectionTests.event(SIEM_EVENT_AUTH_FAILURE, "203.0.113.44",
                                                                        at: clock.now + Int64(i))))
            }
            engine.stop()
            #expect(try engine.store.activeBan(address: "203.0.113.44", now: clock.now)?.count == 3)
        }
    }
}
