import PluginABI

/// Where the blocker's messages go: the host's log, under the plugin's name.
/// Closures, so the firewall code does not depend on the host table.
/// Messages are autoclosures: one the host would drop is never built.
struct BlockerLog: Sendable {
    /// Whether the host keeps messages of a level (`HostAPI.isLogged`).
    let isLogged: @Sendable (siem_log_level) -> Bool
    let sink: @Sendable (siem_log_level, String) -> Void

    func log(_ level: siem_log_level, _ message: @autoclosure () -> String) {
        if isLogged(level) { sink(level, message()) }
    }

    func debug(_ message: @autoclosure () -> String) { log(SIEM_LOG_DEBUG, message()) }
    func info(_ message: @autoclosure () -> String) { log(SIEM_LOG_INFO, message()) }
    func notice(_ message: @autoclosure () -> String) { log(SIEM_LOG_NOTICE, message()) }
    func warning(_ message: @autoclosure () -> String) { log(SIEM_LOG_WARNING, message()) }
    func error(_ message: @autoclosure () -> String) { log(SIEM_LOG_ERROR, message()) }
}
