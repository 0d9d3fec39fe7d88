import Foundation
import Testing
@testable import Host

/// `mini-siem config check` also creates each enabled plugin with its section,
/// using the real plugins built beside the tests.
@Suite("config check with plugins")
struct ConfigCheckCLITests {
    static func withRealPlugins(_ body: (String) throws -> Void) throws {
        try withScratchDirectory { root in
            let dir = root + "/plugins"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
            let built = URL(fileURLWithPath: CLITests.executable).deletingLastPathComponent().path
            for lib in ["libssh_source.so", "libipset_blocker.so"] {
                _ = try PluginFixture.copy(built + "/" + lib, to: dir + "/" + lib)
            }
            try body(dir)
        }
    }

    @Test func badPluginKeyIsNamedAndGoodSectionsPass() throws {
        try Self.withRealPlugins { dir in
            let bad = dir + "/../bad.yaml", good = dir + "/../good.yaml"
            try "plugins:\n  ipset_blocker: {maxelm: 5}\n".write(toFile: bad, atomically: true, encoding: .utf8)
            try "plugins:\n  ipset_blocker: {maxelem: 5}\n  ssh_source: {mode: files}\n"
                .write(toFile: good, atomically: true, encoding: .utf8)
            let failed = try CLITests.run("config", "check", "--config", bad, "--plugin-dir", dir)
            #expect(failed.status != 0)
            #expect(failed.stderr.contains("maxelm"), "\(failed.stderr)")
            #expect(!failed.stdout.contains("config OK"))
            let passed = try CLITests.run("config", "check", "--config", good, "--plugin-dir", dir)
            #expect(passed.status == 0, "\(passed.stderr)")
            #expect(passed.stdout.contains("plugin ipset_blocker: config OK"))
            #expect(passed.stdout.contains("plugin ssh_source: config OK"))
        }
    }
}
