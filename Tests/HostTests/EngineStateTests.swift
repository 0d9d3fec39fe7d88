import Foundation
import PluginABI
import Testing
@testable import Host

/// Plugin state goes through the pipeline and the audit writer, behind the events before it.
@Suite("Plugin state through the engine")
struct EngineStateTests {
    @Test func aPositionIsStoredWithTheEventsBeforeItAndReadBackAtOnce() throws {
        try withScratchDirectory { root in
            _ = LogCapture.shared
            let config = daemonConfig(root: root, pluginDir: root + "/plugins")
            let engine = try Engine(config: config, store: try Store(path: config.database))
            try engine.start()
            // As a source does: events, then the position after them, many times over.
            for round in 0..<200 {
                for i in 0..<10 {
                    let event = try EngineDetectionTests.event(SIEM_EVENT_AUTH_FAILURE, "192.0.2.\(i)",
                                                               at: nanos(1_800_000_000) + Int64(round * 10 + i))
                    engine.inbox.put(.event(event))
                }
                engine.setState(plugin: "src", key: "offset", value: "\(round)")
                // Read back at once: the write queued just before is seen.
                #expect(try engine.state(plugin: "src", key: "offset") == "\(round)")
                // The store never holds a position ahead of its events.
                let stored = try engine.store.events(EventFilter(limit: 0)).count
                #expect(stored >= (round + 1) * 10)
            }
            engine.setState(plugin: "src", key: "offset", value: nil)
            engine.stop()
            #expect(try engine.store.state(plugin: "src", key: "offset") == nil)
            #expect(try engine.store.events(EventFilter(limit: 0)).count == 2_000)
        }
    }
}
