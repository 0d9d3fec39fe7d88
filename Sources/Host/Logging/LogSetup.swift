import Foundation
import Logging

/// Installs the process-wide logging backend once, from the config.
public enum LogSetup {
    /// `files` false: stderr only (CLI commands). Returns a warning when the
    /// log directory cannot be used (logging then goes to stderr only).
    @discardableResult
    public static func bootstrap(config: Config, files: Bool, stderr: Bool = true) -> String? {
        var warning: String?
        var main: RotatingFile?, security: RotatingFile?, performance: RotatingFile?
        if files {
            do {
                try FileManager.default.createDirectory(
                    atPath: config.logDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
                func file(_ name: String) throws -> RotatingFile {
                    try RotatingFile(path: config.logDir + "/" + name, maxBytes: config.logMaxBytes, backups: config.logBackups)
                }
                main = try file("siem.log")
                security = try file("security.log")
                performance = try file("performance.log")
            } catch {
                warning = "log files disabled: \(error)"
            }
        }
        let sinks = LogSinks(stderr: stderr, main: main, security: security, performance: performance)
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { label in SiemLogHandler(label: label, sinks: sinks, logLevel: level) }
        return warning
    }
}
