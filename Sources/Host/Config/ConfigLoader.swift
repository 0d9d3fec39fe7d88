import Foundation
import SSHLog
import Yams

/// Reads config.yaml strictly: an unknown key, a wrong type or an invalid
/// CIDR is an error naming the key path. A missing default file gives defaults.
public enum ConfigLoader {
    /// Loads `path`; when `path` is nil the default file is used if present.
    public static func load(path: String?) throws -> Config {
        let file = path ?? Paths.defaultConfig
        guard FileManager.default.fileExists(atPath: file) else {
            if path != nil { throw ConfigError(file: file, keyPath: "", message: "no such file") }
            return Config()
        }
        guard let data = FileManager.default.contents(atPath: file),
              let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: file, keyPath: "", message: "cannot read the file as UTF-8 text")
        }
        return try parse(text, file: file)
    }

    /// Parses YAML text; `file` only names the source in errors.
    public static func parse(_ text: String, file: String = "config") throws -> Config {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            // libyaml reads `::1` inside [ ... ] as a mapping key; say how to write it.
            let hint = text.contains("::") ? " (quote IPv6 addresses inside [ ] lists: \"::1/128\")" : ""
            throw ConfigError(file: file, keyPath: "", message: "not valid YAML: \(error)\(hint)")
        }
        var config = Config()
        guard let root else { return config }
        let reader = NodeReader(file: file)
        try reader.read(root, into: &config)
        return config
    }
}

/// Walks the YAML tree with the current key path, for error messages.
struct NodeReader {
    let file: String

    func fail(_ path: String, _ message: String) -> ConfigError {
        ConfigError(file: file, keyPath: path, message: message)
    }

    func mapping(_ node: Node, _ path: String) throws -> [(String, Node)] {
        guard let map = node.mapping else { throw fail(path, "expected a mapping of keys") }
        return try map.map { key, value in
            guard let k = key.string else { throw fail(path, "keys must be text") }
            return (k, value)
        }
    }

    func int(_ node: Node, _ path: String, min: Int64 = 0) throws -> Int64 {
        guard node.scalar?.style == .plain, let v = node.int else { throw fail(path, "expected a whole number") }
        guard Int64(v) >= min else { throw fail(path, "must be at least \(min)") }
        return Int64(v)
    }

    func number(_ node: Node, _ path: String, min: Double = 0) throws -> Double {
        guard node.scalar?.style == .plain, let v = node.float ?? node.int.map(Double.init), v.isFinite else {
            throw fail(path, "expected a number")
        }
        guard v >= min else { throw fail(path, "must be at least \(min)") }
        return v
    }

    func string(_ node: Node, _ path: String) throws -> String {
        guard let s = node.scalar?.string, !s.isEmpty else { throw fail(path, "expected text") }
        return s
    }

    func strings(_ node: Node, _ path: String) throws -> [String] {
        guard let seq = node.sequence else { throw fail(path, "expected a list") }
        return try seq.enumerated().map { try string($0.element, "\(path)[\($0.offset)]") }
    }

    func read(_ root: Node, into c: inout Config) throws {
        for (key, value) in try mapping(root, "") {
            switch key {
            case "failures_threshold": c.failuresThreshold = try number(value, key, min: 1)
            case "window_seconds": c.windowSeconds = try int(value, key, min: 1)
            case "block_seconds": c.blockSeconds = try int(value, key, min: 1)
            case "auth_logs": c.authLogs = try strings(value, key)
            case "whitelist":
                c.whitelist = try strings(value, key).enumerated().map { i, text in
                    guard let cidr = CIDR(text) else { throw fail("\(key)[\(i)]", "not an IP address or CIDR: \(text)") }
                    return cidr
                }
            case "event_weights":
                for (kind, w) in try mapping(value, key) {
                    guard SSHEventKind(name: kind) != nil else {
                        throw fail("\(key).\(kind)", "unknown event kind (known: \(SSHEventKind.allCases.map(\.name).joined(separator: ", ")))")
                    }
                    c.eventWeights[kind] = try number(w, "\(key).\(kind)")
                }
            case "repeat_offender":
                for (k, v) in try mapping(value, key) {
                    switch k {
                    case "factor": c.repeatFactor = try number(v, "\(key).\(k)", min: 1)
                    case "max_block_seconds": c.maxBlockSeconds = try int(v, "\(key).\(k)", min: 1)
                    default: throw fail("\(key).\(k)", "unknown key (known: factor, max_block_seconds)")
                    }
                }
            case "compromise_window_seconds": c.compromiseWindowSeconds = try int(value, key, min: 1)
            case "max_tracked_addresses": c.maxTrackedAddresses = Int(try int(value, key, min: 1))
            case "retention_days": c.retentionDays = Int(try int(value, key, min: 0))
            case "database": c.database = try string(value, key)
            case "log_dir": c.logDir = try string(value, key)
            case "log_level":
                let level = try string(value, key)
                guard LogLevels.names.contains(level) else {
                    throw fail(key, "unknown level \(level) (known: \(LogLevels.names.joined(separator: ", ")))")
                }
                c.logLevel = level
            case "log_max_bytes": c.logMaxBytes = Int(try int(value, key, min: 4096))
            case "log_backups": c.logBackups = Int(try int(value, key, min: 0))
            case "plugin_dir": c.pluginDir = try string(value, key)
            case "control_socket": c.controlSocket = try string(value, key)
            case "queue_capacity": c.queueCapacity = Int(try int(value, key, min: 1))
            case "disabled_plugins": c.disabledPlugins = try strings(value, key)
            case "plugins":
                for (name, section) in try mapping(value, key) {
                    _ = try mapping(section, "\(key).\(name)")
                    c.pluginSections[name] = try JSONFromYAML.text(section)
                }
            default:
                throw fail(key, "unknown key")
            }
            c.topLevelJSON[key] = try JSONFromYAML.text(value)
        }
        c.topLevelJSON["auth_logs"] = try JSONFromYAML.text(Node(c.authLogs.map { Node($0) }))
        // Defaults too, so a plugin can skip building a message the host would drop.
        c.topLevelJSON["log_level"] = try JSONFromYAML.text(Node(c.logLevel))
    }
}

/// Log level names accepted by `log_level`.
enum LogLevels {
    static let names = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
}
