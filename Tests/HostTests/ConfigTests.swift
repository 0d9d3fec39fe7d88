import Foundation
import SSHLog
import Testing
@testable import Host

/// config.yaml: the seed's keys, strict errors that name the key, and the line editor
/// behind `mini-siem plugins enable|disable`.
@Suite("Config")
struct ConfigTests {
    /// The example from the seed README, verbatim.
    static let seedExample = """
        # thresholds
        failures_threshold: 5          # number of failed attempts
        window_seconds: 180            # within this many seconds
        block_seconds: 86400           # block duration (24h)

        # paths
        auth_logs:
          - /var/log/auth.log
          - /var/log/secure

        # whitelist (CIDRs or IPs)
        whitelist:
          - 127.0.0.1/32
          - ::1/128
          - 10.0.0.0/8
          - 172.16.0.0/12
          - 192.168.0.0/16
        """

    /// The error `text` gives, or nil when it parses.
    static func error(_ text: String) -> ConfigError? {
        do {
            _ = try ConfigLoader.parse(text, file: "test.yaml")
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            Issue.record("not a ConfigError: \(error)")
            return nil
        }
    }

    @Test func seedExampleParsesUnchanged() throws {
        let c = try ConfigLoader.parse(Self.seedExample)
        #expect(c.failuresThreshold == 5)
        #expect(c.windowSeconds == 180)
        #expect(c.blockSeconds == 86_400)
        #expect(c.authLogs == ["/var/log/auth.log", "/var/log/secure"])
        #expect(c.whitelist == ["127.0.0.1/32", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map { CIDR($0)! })
        // Plugins see the values as JSON.
        #expect(c.topLevelJSON["auth_logs"] == #"["/var/log/auth.log","/var/log/secure"]"#)
        #expect(c.topLevelJSON["window_seconds"] == "180")
    }

    @Test func emptyFileGivesDefaults() throws {
        let c = try ConfigLoader.parse("# nothing set\n")
        let d = Config()
        #expect(c.failuresThreshold == d.failuresThreshold)
        #expect(c.whitelist == Config.defaultWhitelist)
        #expect(c.eventWeights == Config.defaultWeights)
    }

    @Test func ourKeysAndPluginSectionsParse() throws {
        let c = try ConfigLoader.parse("""
            repeat_offender:
              factor: 1.5
              max_block_seconds: 7200
            event_weights:
              preauth_disconnect: 0.25
            queue_capacity: 8
            disabled_plugins: [geo_lookup]
            plugins:
              ssh_source:
                journal: true
                files: [/var/log/auth.log]
            """)
        #expect(c.repeatFactor == 1.5)
        #expect(c.maxBlockSeconds == 7_200)
        #expect(c.eventWeights["preauth_disconnect"] == 0.25)
        #expect(c.eventWeights["auth_failure"] == 1)
        #expect(c.queueCapacity == 8)
        #expect(c.disabledPlugins == ["geo_lookup"])
        let section = try #require(c.pluginSections["ssh_source"])
        let object = try JSONSerialization.jsonObject(with: Data(section.utf8)) as? [String: Any]
        #expect(object?["journal"] as? Bool == true)
        #expect(object?["files"] as? [String] == ["/var/log/auth.log"])
    }

    @Test(arguments: [
        ("colour: blue\n", "colour"),
        ("window_seconds: soon\n", "window_seconds"),
        ("window_seconds: \"180\"\n", "window_seconds"),
        ("failures_threshold: 0\n", "failures_threshold"),
        ("whitelist:\n  - 127.0.0.1/32\n  - ::1/128\n  - 10.0.0.300/8\n", "whitelist[2]"),
        ("whitelist: 10.0.0.0/8\n", "whitelist"),
        ("repeat_offender:\n  factor: fast\n", "repeat_offender.factor"),
        ("repeat_offender:\n  speed: 2\n", "repeat_offender.speed"),
        ("event_weights:\n  bogus_kind: 1\n", "event_weights.bogus_kind"),
        ("plugins:\n  x: 3\n", "plugins.x"),
        ("log_level: loud\n", "log_level"),
    ])
    func errorNamesTheKey(text: String, keyPath: String) {
        let error = Self.error(text)
        #expect(error?.keyPath == keyPath, "\(text)")
        #expect(error?.description.contains("test.yaml: \(keyPath): ") == true)
    }

    @Test func brokenYAMLIsAnErrorWithoutAKey() {
        let error = Self.error("failures_threshold: [5\n")
        #expect(error?.keyPath == "")
        #expect(error?.message.contains("not valid YAML") == true)
    }

    @Test func missingExplicitFileIsAnError() {
        let path = NSTemporaryDirectory() + "mini-siem-none-" + UUID().uuidString + ".yaml"
        #expect(throws: ConfigError(file: path, keyPath: "", message: "no such file")) {
            try ConfigLoader.load(path: path)
        }
    }
}

/// `ConfigEditor.setDisabled`: only the `disabled_plugins` value changes.
@Suite("Config editor")
struct ConfigEditorTests {
    static func disabled(_ text: String) throws -> [String] { try ConfigLoader.parse(text).disabledPlugins }

    /// The lines of `after` that are not in `before`, and the reverse.
    static func changedLines(_ before: String, _ after: String) -> (removed: [String], added: [String]) {
        let b = before.components(separatedBy: "\n"), a = after.components(separatedBy: "\n")
        return (b.filter { !a.contains($0) }, a.filter { !b.contains($0) })
    }

    static let commented = """
        # mini-siem config -- hand written, keep my notes
        failures_threshold: 5   # five strikes

        whitelist:
          - 127.0.0.1/32     # loopback
          - 10.0.0.0/8
        disabled_plugins: [geo_lookup, slack_notifier]  # noisy ones
        # trailing note
        block_seconds: 3600
        """

    @Test func disableAddsToAnInlineListKeepingEveryOtherByte() throws {
        let out = ConfigEditor.setDisabled("email_notifier", disabled: true, in: Self.commented)
        #expect(try Self.disabled(out) == ["geo_lookup", "slack_notifier", "email_notifier"])
        let (removed, added) = Self.changedLines(Self.commented, out)
        #expect(removed == ["disabled_plugins: [geo_lookup, slack_notifier]  # noisy ones"])
        #expect(added.count == 1)
        #expect(added.first?.hasPrefix("disabled_plugins: [") == true)
        #expect(added.first?.hasSuffix("# noisy ones") == true)
        #expect(out.components(separatedBy: "\n").count == Self.commented.components(separatedBy: "\n").count)
    }

    @Test func enableRemovesFromAnInlineList() throws {
        let out = ConfigEditor.setDisabled("geo_lookup", disabled: false, in: Self.commented)
        #expect(try Self.disabled(out) == ["slack_notifier"])
        #expect(Self.changedLines(Self.commented, out).removed.count == 1)
    }

    @Test func disablingTwiceListsTheNameOnce() throws {
        let once = ConfigEditor.setDisabled("slack_notifier", disabled: true, in: Self.commented)
        #expect(try Self.disabled(once).filter { $0 == "slack_notifier" }.count == 1)
    }

    @Test func enablingTheLastOneLeavesAnEmptyList() throws {
        let text = "block_seconds: 60\ndisabled_plugins: [geo_lookup]\n"
        let out = ConfigEditor.setDisabled("geo_lookup", disabled: false, in: text)
        #expect(try Self.disabled(out) == [])
        #expect(out.hasPrefix("block_seconds: 60\n"))
        #expect(out.hasSuffix("\n"))
    }

    @Test func blockListIsEditedInPlace() throws {
        let text = """
            # top
            disabled_plugins:
              - geo_lookup
              - slack_notifier
            block_seconds: 60   # one minute

            """
        let out = ConfigEditor.setDisabled("email_notifier", disabled: true, in: text)
        #expect(try Self.disabled(out) == ["geo_lookup", "slack_notifier", "email_notifier"])
        #expect(Self.changedLines(text, out).removed == [])
        #expect(Self.changedLines(text, out).added == ["  - email_notifier"])
        #expect(ConfigEditor.setDisabled("geo_lookup", disabled: true, in: text) == text)

        let enabled = ConfigEditor.setDisabled("geo_lookup", disabled: false, in: text)
        #expect(try Self.disabled(enabled) == ["slack_notifier"])
        #expect(Self.changedLines(text, enabled).removed == ["  - geo_lookup"])
        #expect(Self.changedLines(text, enabled).added == [])
    }

    @Test func enablingTheLastOfABlockListLeavesAnEmptyList() throws {
        let text = "disabled_plugins:   # managed by the CLI\n  - geo_lookup\nblock_seconds: 60\n"
        let out = ConfigEditor.setDisabled("geo_lookup", disabled: false, in: text)
        #expect(try Self.disabled(out) == [])
        #expect(out == "disabled_plugins: [] # managed by the CLI\nblock_seconds: 60\n")
    }

    @Test func commentsInsideABlockListSurvive() throws {
        let text = """
            disabled_plugins:
              # geo needs a licence key first
              - geo_lookup
              - slack_notifier   # until the webhook is fixed
            block_seconds: 60

            """
        let out = ConfigEditor.setDisabled("email_notifier", disabled: true, in: text)
        #expect(try Self.disabled(out) == ["geo_lookup", "slack_notifier", "email_notifier"])
        #expect(out.contains("# geo needs a licence key first"))
        #expect(out.contains("# until the webhook is fixed"))

        let enabled = ConfigEditor.setDisabled("geo_lookup", disabled: false, in: text)
        #expect(try Self.disabled(enabled) == ["slack_notifier"])
        #expect(enabled.contains("# until the webhook is fixed"))
    }

    @Test func missingKeyIsAppendedOnlyWhenDisabling() throws {
        let text = "# mine\nblock_seconds: 60"
        let out = ConfigEditor.setDisabled("geo_lookup", disabled: true, in: text)
        #expect(out.hasPrefix(text + "\n"))
        #expect(try Self.disabled(out) == ["geo_lookup"])
        #expect(ConfigEditor.setDisabled("geo_lookup", disabled: false, in: text) == text)
        #expect(try Self.disabled(ConfigEditor.setDisabled("geo_lookup", disabled: true, in: "")) == ["geo_lookup"])
    }

    @Test func aNameThatIsAPrefixOfAnotherIsNotConfused() throws {
        let text = "disabled_plugins: [ssh_source_extra]\n"
        let out = ConfigEditor.setDisabled("ssh_source", disabled: false, in: text)
        #expect(try Self.disabled(out) == ["ssh_source_extra"])
    }
}
