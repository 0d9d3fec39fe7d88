import Foundation
import Testing
@testable import Host

/// The real `mini-siem` executable, run as a user would, on stores and configs the tests make.
@Suite("CLI")
struct CLITests {
    /// `mini-siem` is built next to the test bundle.
    static let executable: String = {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("mini-siem").path
    }()

    static func run(_ arguments: String...) throws -> ProgramResult {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw HostError("\(executable) not found: build the package first (swift build)")
        }
        return try runProgram(executable, arguments)
    }

    /// A scratch directory with a config naming a database and a control socket inside it.
    static func withSetup(_ extraConfig: String = "", _ body: (_ root: String, _ config: String, _ db: String) throws -> Void) throws {
        try withScratchDirectory { root in
            let config = root + "/config.yaml", db = root + "/siem.db"
            try writeText("""
                # test config
                database: \(db)
                control_socket: \(root)/control.sock
                plugin_dir: \(root)/plugins
                \(extraConfig)
                """, to: config)
            try body(root, config, db)
        }
    }

    @Test func versionPrintsTheVersion() throws {
        let r = try Self.run("--version")
        #expect(r.status == 0)
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == MiniSiemCommand.version)
    }

    @Test func configCheckAcceptsAGoodFile() throws {
        try Self.withSetup("failures_threshold: 7\nwindow_seconds: 90\n") { _, config, db in
            let r = try Self.run("config", "check", "--config", config)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("config OK: \(config)"))
            #expect(r.stdout.contains("7 attempts in 90s"))
            #expect(r.stdout.contains("database: \(db)"))
        }
    }

    @Test func configCheckNamesTheBadKeyOnOneLine() throws {
        try withScratchDirectory { root in
            let config = root + "/config.yaml"
            try writeText("# ok so far\nrepeat_offender:\n  factor: fast\n", to: config)
            let r = try Self.run("config", "check", "--config", config)
            #expect(r.status != 0)
            let errorLines = r.stderr.split(separator: "\n")
            #expect(errorLines.count == 1, "\(r.stderr)")
            #expect(errorLines.first?.contains("\(config): repeat_offender.factor") == true)
            #expect(!r.stdout.contains("config OK"))
        }
    }

    /// Three events, newest last, one with a username that tries to move the cursor.
    static func fillEvents(_ db: String) throws -> [StoredEvent] {
        let store = try Store(path: db)
        var events = [
            StoredEvent(timeNs: nanos(1_800_000_000), kind: "auth_failure", address: "192.0.2.1", port: 50_000,
                        user: "root", service: "sshd"),
            StoredEvent(timeNs: nanos(1_800_000_060), kind: "invalid_user", address: "2001:db8::7", port: 50_001,
                        user: "evil\u{1b}[2J", service: "sshd-session"),
            StoredEvent(timeNs: nanos(1_800_000_120), kind: "auth_failure", address: "192.0.2.1", port: 50_002,
                        user: "admin", service: "sshd"),
        ]
        let ids = try store.insertEvents(events)
        for i in events.indices { events[i].id = ids[i] }
        return events
    }

    @Test func eventsAsJSONAndAsATable() throws {
        try Self.withSetup { _, config, db in
            let events = try Self.fillEvents(db)

            let json = try Self.run("events", "--config", config, "--json")
            #expect(json.status == 0, "\(json.stderr)")
            let decoded = try JSONDecoder().decode([StoredEvent].self, from: Data(json.stdout.utf8))
            #expect(decoded == events.reversed())

            let limited = try Self.run("events", "--config", config, "--json", "--limit", "1", "--ip", "192.0.2.1")
            #expect(try JSONDecoder().decode([StoredEvent].self, from: Data(limited.stdout.utf8)) == [events[2]])

            let table = try Self.run("events", "--config", config)
            #expect(table.status == 0)
            let rows = table.stdout.split(separator: "\n").map(String.init)
            #expect(rows.count == 1 + events.count)
            #expect(rows.first?.hasPrefix("TIME") == true)
            #expect(rows.dropFirst().map { $0.contains("2001:db8::7") } == [false, true, false])
            #expect(rows[1].contains(Timestamp.iso8601(events[2].timeNs)))
            // Control characters from attackers are shown escaped, never sent to the terminal.
            #expect(!table.stdout.contains("\u{1b}"))
            #expect(table.stdout.contains("evil\\x1b[2J"))
        }
    }

    @Test func blockedListsOnlyActiveBans() throws {
        try Self.withSetup { _, config, db in
            let now = Timestamp.nowNs()
            do {
                let store = try Store(path: db)
                let empty = try Self.run("blocked", "--config", config)
                #expect(empty.stdout.contains("No address is blocked."))
                try store.upsertBan(StoredBan(address: "198.51.100.3", sinceNs: now - nanos(10), untilNs: now + nanos(3_600),
                                              reason: "5 failed attempts", count: 2, origin: "threshold"))
                try store.upsertBan(StoredBan(address: "198.51.100.4", sinceNs: now - nanos(100), untilNs: now - nanos(1),
                                              reason: "old", count: 1, origin: "threshold"))
            }
            let json = try Self.run("blocked", "--config", config, "--json")
            #expect(json.status == 0, "\(json.stderr)")
            let bans = try JSONDecoder().decode([StoredBan].self, from: Data(json.stdout.utf8))
            #expect(bans.map(\.address) == ["198.51.100.3"])
            #expect(bans.first?.count == 2)

            let table = try Self.run("blocked", "--config", config)
            let rows = table.stdout.split(separator: "\n")
            #expect(rows.count == 2)
            #expect(rows.last?.contains("198.51.100.3") == true)
            #expect(rows.last?.contains("5 failed attempts") == true)
            #expect(!table.stdout.contains("198.51.100.4"))
        }
    }

    @Test func unblockWithoutADaemonChangesTheStore() throws {
        try Self.withSetup { root, config, db in
            let now = Timestamp.nowNs()
            try Store(path: db).upsertBan(StoredBan(address: "198.51.100.5", sinceNs: now, untilNs: now + nanos(3_600),
                                                    reason: "r", count: 1, origin: "threshold"))
            let r = try Self.run("unblock", "198.51.100.5", "--config", config)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("unblocked 198.51.100.5"))
            #expect(r.stdout.contains("\(root)/control.sock"))
            #expect(r.stdout.contains("the firewall follows at the next start"))

            let store = try Store(path: db, readOnly: true)
            #expect(try store.activeBan(address: "198.51.100.5", now: Timestamp.nowNs()) == nil)
            let actions = try store.actions()
            #expect(actions.map(\.action) == ["unblock"])
            #expect(actions.first?.origin == "cli")

            let again = try Self.run("unblock", "198.51.100.5", "--config", config)
            #expect(again.status != 0)
            #expect(again.stdout.contains("198.51.100.5 is not blocked"))

            let bad = try Self.run("unblock", "198.51.100.999", "--config", config)
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("not an IP address"))
        }
    }

    struct Row: Decodable {
        var name: String?
        var file: String
        var enabled: Bool
        var status: String
        var kinds: [String]
    }

    static func pluginRows(_ config: String, _ dir: String) throws -> [String: Row] {
        let r = try run("plugins", "list", "--config", config, "--plugin-dir", dir, "--json")
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try JSONDecoder().decode([Row].self, from: Data(r.stdout.utf8))
        return Dictionary(uniqueKeysWithValues: rows.map { (URL(fileURLWithPath: $0.file).lastPathComponent, $0) })
    }

    @Test func pluginsListShowsLoadedAndRefusedWithReasons() throws {
        try Self.withSetup { root, config, _ in
            let dir = root + "/plugins"
            try makeDirectory(dir)
            try PluginFixture.build("c_fast_action.c", into: dir, as: "fast_action.so")
            try PluginFixture.build("no_entry.c", into: dir, as: "no_entry.so")
            try PluginFixture.build("abi_major.c", into: dir, as: "abi_major.so")

            let rows = try Self.pluginRows(config, dir)
            #expect(Set(rows.keys) == ["fast_action.so", "no_entry.so", "abi_major.so"])
            #expect(rows["fast_action.so"]?.name == "fast_action")
            #expect(rows["fast_action.so"]?.status == "loadable")
            #expect(rows["fast_action.so"]?.enabled == true)
            #expect(rows["fast_action.so"]?.kinds == ["action"])
            #expect(rows["no_entry.so"]?.name == nil)
            #expect(rows["no_entry.so"]?.status.hasPrefix("refused: no entry symbol") == true)
            #expect(rows["abi_major.so"]?.status.contains("ABI major mismatch") == true)

            let table = try Self.run("plugins", "list", "--config", config, "--plugin-dir", dir)
            #expect(table.status == 0)
            #expect(table.stdout.contains("fast_action"))
            #expect(table.stdout.contains("refused: no entry symbol"))
        }
    }

    @Test func pluginsDisableThenEnableEditsOnlyThatLine() throws {
        try Self.withSetup("block_seconds: 600   # ten minutes\n# the end\n") { root, config, _ in
            let dir = root + "/plugins"
            try makeDirectory(dir)
            try PluginFixture.build("c_fast_action.c", into: dir, as: "fast_action.so")
            let original = try String(contentsOfFile: config, encoding: .utf8)

            let off = try Self.run("plugins", "disable", "fast_action", "--config", config, "--plugin-dir", dir)
            #expect(off.status == 0, "\(off.stderr)")
            #expect(off.stdout.contains("Disabled fast_action"))
            let disabled = try String(contentsOfFile: config, encoding: .utf8)
            #expect(disabled.hasPrefix(original))
            #expect(try ConfigLoader.parse(disabled).disabledPlugins == ["fast_action"])
            #expect(try Self.pluginRows(config, dir)["fast_action.so"]?.enabled == false)

            let on = try Self.run("plugins", "enable", "fast_action", "--config", config, "--plugin-dir", dir)
            #expect(on.status == 0, "\(on.stderr)")
            let enabled = try String(contentsOfFile: config, encoding: .utf8)
            #expect(enabled.hasPrefix(original))
            #expect(try ConfigLoader.parse(enabled).disabledPlugins == [])
            #expect(try Self.pluginRows(config, dir)["fast_action.so"]?.enabled == true)

            let unknown = try Self.run("plugins", "disable", "no_such_plugin", "--config", config, "--plugin-dir", dir)
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("no plugin named no_such_plugin"))
            #expect(try String(contentsOfFile: config, encoding: .utf8) == enabled)
        }
    }
}
