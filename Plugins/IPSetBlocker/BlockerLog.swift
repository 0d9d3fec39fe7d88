import PluginABI

/// Where the blocker's messages go: the host's log, under the plugin's name.
/// A closure, so the firewall code does not depend on the host table.
struct BlockerLog: Sendable {
    let sink: @Sendable (siem_log_level, String) -> Void

    func debug(_ message: String) { sink(SIEM_LOG_DEBUG, message) }
    func info(_ message: String) { sink(SIEM_LOG_INFO, message) }
    func notice(_ message: String) { sink(SIEM_LOG_NOTICE, message) }
    func warning(_ message: String) { sink(SIEM_LOG_WARNING, message) }
    func error(_ message: String) { sink(SIEM_LOG_ERROR, message) }
}
