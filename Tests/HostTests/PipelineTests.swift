import Foundation
import SSHLog
import Testing
@testable import Host

/// The real daemon, in process: plain-C plugins loaded with dlopen, events from a C source
/// thread, decisions from a C detector, and action plugins on their own queues.
@Suite("Pipeline through the daemon")
struct PipelineTests {
    /// A plugin directory with the given fixtures (source file -> output name).
    static func pluginDirectory(in root: String, _ fixtures: [(String, String)]) throws -> String {
        let dir = root + "/plugins"
        try makeDirectory(dir)
        for (source, output) in fixtures { try PluginFixture.build(source, into: dir, as: output) }
        return dir
    }

    static func storedEvents(_ daemon: Daemon) -> Int { daemon.engine.counters.withLock { $0.eventsStored } }

    @Test func decisionOfACDetectorIsRecordedAndReachesActionPlugins() throws {
        let log = LogCapture.shared
        try withScratchDirectory { root in
            let dir = try Self.pluginDirectory(in: root, [
                ("c_source.c", "c_source.so"), ("c_detector.c", "c_detector.so"), ("c_fast_action.c", "fast_action.so"),
            ])
            var config = daemonConfig(root: root, pluginDir: dir)
            config.pluginSections = [
                "c_source": #"{"count":3,"kind":1,"address":"198.51.100.7","user":"c-plugin-block"}"#,
                "c_detector": #"{"out":"\#(root)/detector.count"}"#,
                "fast_action": #"{"dir":"\#(root)"}"#,
            ]
            let daemon = try Daemon(config: config)
            try daemon.start()
            #expect(Set(daemon.started.map(\.name)) == ["c_source", "c_detector", "fast_action"])
            #expect(waitUntil { Self.storedEvents(daemon) == 3 })
            #expect(waitUntil { lines(ofFile: root + "/fast.out").contains("block 198.51.100.7") })
            #expect(stopReturns(daemon))

            // The detector saw every event (it writes its count on stop).
            #expect(lines(ofFile: root + "/detector.count") == ["3"])
            // Three events asked for a block; one ban resulted, and it went out once.
            #expect(lines(ofFile: root + "/fast.out") == ["block 198.51.100.7"])

            let store = try Store(path: config.database, readOnly: true)
            let blocks = try store.actions(limit: 100).filter { $0.action == "block" }
            #expect(blocks.count == 1)
            let block = try #require(blocks.first)
            #expect(block.address == "198.51.100.7")
            #expect(block.origin == "plugin:c_detector")
            #expect(block.reason == "c detector saw c-plugin-block")
            #expect(block.durationSeconds == 120)
            let ban = try #require(try store.activeBan(address: "198.51.100.7", now: Timestamp.nowNs()))
            #expect(ban.origin == "plugin:c_detector")
            #expect(ban.count == 1)
            #expect(ban.untilNs - ban.sinceNs == nanos(120))

            // Every field the C source filled arrived in the store.
            let events = try store.events(EventFilter(limit: 100))
            #expect(events.count == 3)
            #expect(Set(events.compactMap(\.port)) == [40000, 40001, 40002])
            for e in events {
                #expect(e.kind == "auth_failure")
                #expect(e.address == "198.51.100.7")
                #expect(e.user == "c-plugin-block")
                #expect(e.service == "sshd-session")
                #expect(e.host == "c-fixture-host")
                #expect(e.pid == 4242)
                #expect(e.source == "c_source")
                #expect(e.raw?.hasPrefix("c_source event ") == true)
                #expect(e.attributesJSON == #"{"fixture":"c_source"}"#)
            }
            // host->log carries the plugin's name.
            #expect(!log.lines(containing: "plugin.c_detector", "requests a block of 198.51.100.7").isEmpty)
        }
    }

    @Test(arguments: [4, 5])
    func thresholdOfFiveFailuresBlocksThroughTheDaemon(failures: Int) throws {
        try withScratchDirectory { root in
            let dir = try Self.pluginDirectory(in: root, [("c_source.c", "c_source.so"), ("c_fast_action.c", "fast_action.so")])
            var config = daemonConfig(root: root, pluginDir: dir)
            config.failuresThreshold = 5
            config.pluginSections = [
                "c_source": #"{"count":\#(failures),"kind":1,"address":"198.51.100.8","user":"root"}"#,
                "fast_action": #"{"dir":"\#(root)"}"#,
            ]
            let daemon = try Daemon(config: config)
            try daemon.start()
            #expect(waitUntil { Self.storedEvents(daemon) == failures })
            if failures >= 5 {
                #expect(waitUntil { !lines(ofFile: root + "/fast.out").isEmpty })
            }
            #expect(stopReturns(daemon))

            let store = try Store(path: config.database, readOnly: true)
            let blocks = try store.actions(limit: 100).filter { $0.action == "block" }
            if failures >= 5 {
                #expect(blocks.map(\.address) == ["198.51.100.8"])
                #expect(blocks.map(\.origin) == ["threshold"])
                #expect(blocks.first?.durationSeconds == config.blockSeconds)
                #expect(lines(ofFile: root + "/fast.out") == ["block 198.51.100.8"])
            } else {
                #expect(blocks.isEmpty)
                #expect(try store.activeBans(now: Timestamp.nowNs()).isEmpty)
                #expect(lines(ofFile: root + "/fast.out").isEmpty)
            }
        }
    }

    @Test func whitelistCoversTheMappedFormOfAnAddress() throws {
        try withScratchDirectory { root in
            let dir = try Self.pluginDirectory(in: root, [("c_source.c", "c_source.so"), ("c_fast_action.c", "fast_action.so")])
            var config = daemonConfig(root: root, pluginDir: dir)
            config.whitelist = [try #require(CIDR("198.51.100.10/32"))]
            config.pluginSections = [
                "c_source": #"{"count":6,"kind":1,"address":"::ffff:198.51.100.10","user":"admin"}"#,
                "fast_action": #"{"dir":"\#(root)"}"#,
            ]
            let daemon = try Daemon(config: config)
            try daemon.start()
            #expect(waitUntil { Self.storedEvents(daemon) == 6 })
            #expect(stopReturns(daemon))

            #expect(daemon.engine.counters.withLock { $0.whitelistHits } == 1)
            let store = try Store(path: config.database, readOnly: true)
            #expect(Set(try store.events(EventFilter(limit: 100)).map(\.address)) == ["198.51.100.10"])
            let actions = try store.actions(limit: 100)
            #expect(actions.map(\.action) == ["whitelist_hit"])
            #expect(actions.first?.address == "198.51.100.10")
            #expect(actions.first?.origin == "threshold")
            #expect(actions.first?.reason?.contains("whitelisted by 198.51.100.10/32") == true)
            #expect(try store.activeBans(now: Timestamp.nowNs()).isEmpty)
            #expect(lines(ofFile: root + "/fast.out").isEmpty)
        }
    }

    /// slow_action blocks inside its first on_decision until `slow-release` exists.
    static func slowAndFast(in root: String, queueCapacity: Int) throws -> (Daemon, Config) {
        let dir = try pluginDirectory(in: root, [("c_slow_action.c", "slow_action.so"), ("c_fast_action.c", "fast_action.so")])
        var config = daemonConfig(root: root, pluginDir: dir)
        config.queueCapacity = queueCapacity
        config.pluginSections = ["slow_action": #"{"dir":"\#(root)"}"#, "fast_action": #"{"dir":"\#(root)"}"#]
        let daemon = try Daemon(config: config)
        try daemon.start()
        return (daemon, config)
    }

    static func block(_ address: String, _ config: Config) throws {
        let reply = try controlRequest(ControlRequest(command: "block", address: address), socket: config.controlSocket)
        #expect(reply.ok, "\(address): \(reply.message)")
    }

    static func workerStats(_ daemon: Daemon) -> [String: WorkerStats] {
        Dictionary(uniqueKeysWithValues: daemon.engine.workers.map { ($0.plugin.name, $0.stats) })
    }

    @Test func blockedActionPluginDelaysNoOtherAndItsDropsAreCounted() throws {
        try withScratchDirectory { root in
            let capacity = 2
            let (daemon, config) = try Self.slowAndFast(in: root, queueCapacity: capacity)
            var stopped = false
            defer {
                // On an early failure: let the slow plugin go so the daemon can stop.
                try? writeText("", to: root + "/slow-release")
                if !stopped { _ = stopReturns(daemon) }
            }
            let addresses = (20...29).map { "198.51.100.\($0)" }
            let fastOut = root + "/fast.out"

            try Self.block(addresses[0], config)
            #expect(waitUntil { FileManager.default.fileExists(atPath: root + "/slow-entered") })
            // While slow_action sits in its first call, each further decision still reaches
            // fast_action, one after the other.
            for address in addresses {
                if address != addresses[0] { try Self.block(address, config) }
                #expect(waitUntil { lines(ofFile: fastOut).contains("block \(address)") }, "\(address)")
            }
            #expect(!FileManager.default.fileExists(atPath: root + "/slow-release"))
            #expect(lines(ofFile: root + "/slow.out").isEmpty, "slow_action returned from its first call")
            #expect(lines(ofFile: fastOut) == addresses.map { "block \($0)" })

            // slow_action holds the first decision in its call and `capacity` in its queue;
            // the rest were dropped and counted. fast_action dropped nothing.
            #expect(waitUntil { Self.workerStats(daemon)["fast_action"]?.delivered == addresses.count })
            let stats = Self.workerStats(daemon)
            #expect(stats["slow_action"]?.dropped == addresses.count - 1 - capacity)
            #expect(stats["slow_action"]?.depth == capacity)
            #expect(stats["slow_action"]?.delivered == 0)
            #expect(stats["fast_action"]?.dropped == 0)

            // The same counters through the control socket's `stats`.
            let reply = try controlRequest(ControlRequest(command: "stats"), socket: config.controlSocket)
            #expect(reply.ok)
            let host = try JSONDecoder().decode(HostStats.self, from: Data(try #require(reply.detail).utf8))
            let queues = Dictionary(uniqueKeysWithValues: host.queues.map { ($0.plugin, $0) })
            #expect(queues["slow_action"]?.dropped == addresses.count - 1 - capacity)
            #expect(queues["fast_action"]?.dropped == 0)
            #expect(queues["fast_action"]?.delivered == addresses.count)
            #expect(host.pipeline.blocks == addresses.count)
            #expect(host.store.activeBans == Int64(addresses.count))

            // Released, slow_action drains what it kept, and the daemon stops.
            try writeText("", to: root + "/slow-release")
            #expect(stopReturns(daemon))
            stopped = true
            #expect(lines(ofFile: root + "/slow.out") == Array(addresses.prefix(1 + capacity)))
            #expect(Self.workerStats(daemon)["slow_action"]?.delivered == 1 + capacity)
        }
    }

    @Test func stopReturnsAndReportsAPluginThatIsStillStuck() throws {
        let log = LogCapture.shared
        try withScratchDirectory { root in
            let (daemon, config) = try Self.slowAndFast(in: root, queueCapacity: 2)
            defer { try? writeText("", to: root + "/slow-release") }
            let addresses = ["198.51.100.40", "198.51.100.41", "198.51.100.42"]
            try Self.block(addresses[0], config)
            #expect(waitUntil { FileManager.default.fileExists(atPath: root + "/slow-entered") })
            for address in addresses.dropFirst() { try Self.block(address, config) }
            #expect(waitUntil { lines(ofFile: root + "/fast.out").count == addresses.count })

            // slow_action is still inside on_decision: stop gives up on it and returns (well
            // before the fixture itself would give up waiting, after 60 s).
            #expect(stopReturns(daemon, deadline: 0.2, within: 20))
            #expect(!FileManager.default.fileExists(atPath: root + "/slow-release"))
            #expect(!log.lines(containing: "did not finish its queue in time", "plugin=slow_action").isEmpty)
            #expect(log.lines(containing: "did not finish its queue in time", "plugin=fast_action").isEmpty)

            // It was neither stopped nor destroyed: released, it finishes its queue.
            try writeText("", to: root + "/slow-release")
            #expect(waitUntil { lines(ofFile: root + "/slow.out") == addresses })
        }
    }
}
