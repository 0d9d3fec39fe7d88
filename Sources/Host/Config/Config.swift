import Foundation
import SSHLog

/// The daemon's settings. Keys are the seed's (`failures_threshold`, ...) plus
/// ours; `ConfigLoader` maps YAML onto this and names the key of any error.
public struct Config: Sendable {
    /// Weighted attempts within `windowSeconds` that trigger a block.
    public var failuresThreshold: Double = 5
    public var windowSeconds: Int64 = 180
    public var blockSeconds: Int64 = 86_400
    public var authLogs: [String] = ["/var/log/auth.log", "/var/log/secure"]
    public var whitelist: [CIDR] = Config.defaultWhitelist
    /// How much one event of a kind counts towards the threshold. A kind not
    /// listed counts 0 (is never an attempt).
    public var eventWeights: [String: Double] = Config.defaultWeights
    /// Each new block of the same address lasts `factor` times the previous
    /// one, up to `maxBlockSeconds` (fail2ban's bantime.increment).
    public var repeatFactor: Double = 2
    public var maxBlockSeconds: Int64 = 30 * 86_400
    /// Failures this recent make a later success from the address suspicious.
    public var compromiseWindowSeconds: Int64 = 3_600
    /// Addresses tracked at once by the threshold stage; the oldest is evicted.
    public var maxTrackedAddresses: Int = 1_000_000
    public var retentionDays: Int = 90

    public var database: String = Paths.defaultDatabase
    public var logDir: String = Paths.defaultLogDir
    public var logLevel: String = "info"
    public var logMaxBytes: Int = 10 * 1024 * 1024
    public var logBackups: Int = 5
    public var pluginDir: String = Paths.defaultPluginDir
    public var controlSocket: String = Paths.defaultControlSocket
    /// Capacity of each action/UI plugin's queue; overflow is dropped and counted.
    public var queueCapacity: Int = 4_096
    public var disabledPlugins: [String] = []
    /// Each plugin's own section, as JSON text, by plugin name.
    public var pluginSections: [String: String] = [:]
    /// Top-level values as JSON, for the plugins' `config_get`.
    public var topLevelJSON: [String: String] = [:]

    public init() {}

    /// Plugin sections that name no installed plugin (a typo, or a plugin removed).
    public func unusedPluginSections(installed: [PluginFile]) -> [String] {
        let names = Set(installed.map(\.name))
        return pluginSections.keys.filter { !names.contains($0) }.sorted()
    }

    public static let defaultWhitelist: [CIDR] = [
        "127.0.0.1/32", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
    ].map { CIDR($0)! }

    /// One failed credential counts 1; noise that may be a scan counts less,
    /// as sshguard does. A success never counts.
    public static let defaultWeights: [String: Double] = [
        "auth_failure": 1, "invalid_user": 1, "user_not_allowed": 1, "root_refused": 1,
        "max_auth_exceeded": 1, "preauth_disconnect": 0.5, "protocol_error": 0.5,
    ]
}

/// Default locations: the seed's per-user paths, system paths when root.
public enum Paths {
    static var isRoot: Bool { geteuid() == 0 }
    static var userData: String {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/mini_siem"
    }
    public static let defaultConfig = "/etc/mini_siem/config.yaml"
    public static var defaultDatabase: String {
        isRoot ? "/var/lib/mini_siem/mini_siem.db" : userData + "/mini_siem.db"
    }
    public static var defaultLogDir: String { isRoot ? "/var/log/mini_siem" : userData + "/logs" }
    public static var defaultControlSocket: String {
        isRoot ? "/run/mini_siem/control.sock" : userData + "/control.sock"
    }
    public static let defaultPluginDir = "/usr/local/lib/mini-siem/plugins"
}
