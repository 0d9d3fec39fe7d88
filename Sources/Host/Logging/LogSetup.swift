import Foundation
import Logging

/// Installs the process-wide logging backend once, from the config.
public enum LogSetup {

    /// What `bootstrap` set up: security.log for the pipeline's per-event lines
    /// (see `EventLog`), and a warning when the log directory cannot be used
    /// (logging then goes to stderr only).
    public struct Outcome {
        public let securityLog: RotatingFile?
        public let warning: String?
    }

    /// `files` false: stderr only (CLI commands).
    @discardableResult
    public static func bootstrap(config: Config, files: Bool, stderr: Bool = true) -> Outcome {
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
        return Outcome(securityLog: security, warning: warning)
    }
}
