import Foundation
import Testing
@testable import Host

/// The plugin loader: which files a root daemon runs, and the one-line reason for each it
/// refuses. Every plugin here is a plain-C fixture compiled at test time.
@Suite("Plugin loader")
struct LoaderTests {
    /// The good plugins and every kind of bad file, side by side in one directory.
    struct Layout {
        let directory: String
        /// Refused file -> a distinctive part of its reason.
        let refusals: [String: String]
        let detector: String
    }

    static func makeLayout(in root: String) throws -> Layout {
        let dir = root + "/plugins"
        try makeDirectory(dir)
        for (source, output) in [("c_source.c", "c_source.so"), ("c_detector.c", "c_detector.so"),
                                 ("c_slow_action.c", "slow_action.so"), ("c_fast_action.c", "fast_action.so"),
                                 ("create_fails.c", "create_fails.so")] {
            try PluginFixture.build(source, into: dir, as: output)
        }
        let notELF = dir + "/not_elf.so"
        try writeText("#!/bin/sh\necho I am not a shared object\n", to: notELF)
        let noEntry = try PluginFixture.build("no_entry.c", into: dir, as: "no_entry.so")
        let major = try PluginFixture.build("abi_major.c", into: dir, as: "abi_major.so")
        let minor = try PluginFixture.build("abi_minor.c", into: dir, as: "abi_minor.so")
        // Sorted after c_detector.so, so it is the second file with that name.
        let duplicate = try PluginFixture.copy(dir + "/c_detector.so", to: dir + "/zz_duplicate.so")
        let worldWritable = try PluginFixture.copy(dir + "/fast_action.so", to: dir + "/unsafe_mode.so", mode: 0o666)
        let foreign = try PluginFixture.copy(dir + "/fast_action.so", to: dir + "/unsafe_owner.so")
        guard chown(foreign, 65534, 65534) == 0 else { throw HostError("chown: \(String(cString: strerror(errno)))") }
        // Not a .so: never looked at.
        try writeText("notes", to: dir + "/README.txt")
        return Layout(directory: dir, refusals: [
            notELF: "not a shared object",
            noEntry: "no entry symbol",
            major: "ABI major mismatch",
            minor: "minor is newer",
            duplicate: "already loaded from \(dir)/c_detector.so",
            worldWritable: "writable by group or others",
            foreign: "owned by uid 65534",
        ], detector: dir + "/c_detector.so")
    }

    @Test(.enabled(if: runningAsRoot, "ownership checks need root"))
    func loadsGoodPluginsAndRefusesEachBadFileWithItsReason() throws {
        try withScratchDirectory { root in
            let layout = try Self.makeLayout(in: root)
            let found = PluginLoader.load(directory: layout.directory, requireRootOwned: true)

            #expect(found.plugins.map(\.name) == ["c_detector", "c_source", "create_fails", "fast_action", "slow_action"])
            let reasons = Dictionary(found.refused.map { ($0.path, $0.reason) }, uniquingKeysWith: { a, b in a + " | " + b })
            #expect(Set(reasons.keys) == Set(layout.refusals.keys))
            for (path, expected) in layout.refusals {
                #expect(reasons[path]?.contains(expected) == true, "\(path): \(reasons[path] ?? "not refused")")
            }
            // Each refusal is one line that names the file.
            for refusal in found.refused {
                #expect(refusal.description.hasPrefix("plugin \(refusal.path) not loaded: "))
                #expect(!refusal.description.contains("\n"))
            }
        }
    }

    @Test func descriptorsOfCPluginsAreReadAsDeclared() throws {
        try withScratchDirectory { root in
            let dir = root + "/plugins"
            try makeDirectory(dir)
            try PluginFixture.build("c_source.c", into: dir, as: "c_source.so")
            try PluginFixture.build("c_detector.c", into: dir, as: "c_detector.so")
            try PluginFixture.build("c_fast_action.c", into: dir, as: "fast_action.so")
            let found = PluginLoader.load(directory: dir, requireRootOwned: runningAsRoot)
            #expect(found.refused.isEmpty)
            let byName = Dictionary(uniqueKeysWithValues: found.plugins.map { ($0.name, $0) })
            #expect(byName["c_source"]?.kindNames == ["source"])
            #expect(byName["c_detector"]?.kindNames == ["detector"])
            #expect(byName["fast_action"]?.kindNames == ["action"])
            #expect(byName["c_source"]?.abi == "\(PluginLoader.hostMajor).\(PluginLoader.hostMinor)")
            #expect(byName["c_detector"]?.version == "1.0.0")
            #expect(byName["fast_action"]?.path == dir + "/fast_action.so")
        }
    }

    @Test(.enabled(if: runningAsRoot, "ownership checks need root"))
    func groupWritableDirectoryIsRefusedAsAWhole() throws {
        try withScratchDirectory { root in
            let dir = root + "/plugins"
            try makeDirectory(dir, mode: 0o775)
            try PluginFixture.build("c_fast_action.c", into: dir, as: "fast_action.so")

            let strict = PluginLoader.load(directory: dir, requireRootOwned: true)
            #expect(strict.plugins.isEmpty)
            #expect(strict.refused.count == 1)
            #expect(strict.refused.first?.path == dir)
            #expect(strict.refused.first?.reason.contains("directory is writable by group or others") == true)

            // The same directory without the ownership rule: the plugin itself is fine.
            let lax = PluginLoader.load(directory: dir, requireRootOwned: false)
            #expect(lax.plugins.map(\.name) == ["fast_action"])
        }
    }

    @Test func missingDirectoryIsOneRefusal() {
        let dir = NSTemporaryDirectory() + "mini-siem-absent-" + UUID().uuidString
        let found = PluginLoader.load(directory: dir, requireRootOwned: runningAsRoot)
        #expect(found.plugins.isEmpty)
        #expect(found.refused == [PluginRefusal(path: dir, reason: "plugin directory does not exist (set plugin_dir or --plugin-dir)")])
    }

    @Test(.enabled(if: runningAsRoot, "ownership checks need root"))
    func daemonLogsFailedCreateAndRefusalsAndRunsTheRest() throws {
        let log = LogCapture.shared
        try withScratchDirectory { root in
            let layout = try Self.makeLayout(in: root)
            var config = daemonConfig(root: root, pluginDir: layout.directory)
            config.pluginSections = [
                "fast_action": #"{"dir":"\#(root)"}"#,
                "slow_action": #"{"dir":"\#(root)"}"#,
                "c_detector": #"{"out":"\#(root)/detector.count"}"#,
            ]
            config.disabledPlugins = ["c_source"]
            // slow_action would otherwise wait in its first on_decision (see PipelineTests).
            try writeText("", to: root + "/slow-release")
            let daemon = try Daemon(config: config)
            try daemon.start()
            let createFails = layout.directory + "/create_fails.so"

            #expect(Set(daemon.started.map(\.name)) == ["c_detector", "fast_action", "slow_action"])
            #expect(log.lines(containing: createFails, "create failed: missing required key token").count == 1)
            for (path, reason) in layout.refusals {
                #expect(log.lines(containing: "plugin \(path) not loaded", reason).count == 1, "\(path)")
            }
            #expect(log.lines(containing: "plugin disabled by config", "c_source", layout.directory).count == 1)
            #expect(log.lines(containing: "plugin.c_detector", "c_detector created").count >= 1)

            // Still running: the control socket answers and a decision reaches the action plugins.
            let reply = try controlRequest(ControlRequest(command: "block", address: "192.0.2.77"),
                                               socket: config.controlSocket)
            #expect(reply.ok, "\(reply.message)")
            #expect(waitUntil { lines(ofFile: root + "/fast.out").contains("block 192.0.2.77") })
            #expect(stopReturns(daemon))
            #expect(lines(ofFile: root + "/slow.out") == ["192.0.2.77"])
        }
    }
}
