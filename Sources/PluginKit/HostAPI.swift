import PluginABI
#if canImport(Glibc)
import Glibc
#endif

/// The host's function table, wrapped for Swift. Thread-safe, like the table.
public struct HostAPI: @unchecked Sendable {
    public let table: UnsafePointer<siem_host_api>
    /// The least severe level the host keeps (a `siem_log_level` value);
    /// `SIEM_LOG_TRACE` when the host does not say.
    private let keptLevel: UInt32

    public init(_ table: UnsafePointer<siem_host_api>) {
        self.table = table
        keptLevel = Self.configuredLogLevel(table)?.rawValue ?? SIEM_LOG_TRACE.rawValue
    }

    private var ctx: UnsafeMutableRawPointer? { table.pointee.ctx }

    /// Whether the host keeps messages of `level`, so a plugin can skip
    /// building what would be dropped. The ABI has no call for the host's
    /// level; mini-siem filters by its top-level `log_level`, which plugins
    /// read with `config_get` (read once, here). Without that value (mini-siem
    /// passes it only when the config file sets it) every level counts as
    /// kept and the host decides, as before.
    public func isLogged(_ level: siem_log_level) -> Bool { level.rawValue >= keptLevel }

    /// Logs under the plugin's name. `message` is only built when the host
    /// keeps `level` (see `isLogged`).
    public func log(_ level: siem_log_level, _ message: @autoclosure () -> String) {
        guard isLogged(level) else { return }
        table.pointee.log(ctx, level.rawValue, message())
    }

    /// `log_level` from the host's config (JSON, e.g. `"warning"`), or nil.
    private static func configuredLogLevel(_ table: UnsafePointer<siem_host_api>) -> siem_log_level? {
        guard let json = table.pointee.config_get(table.pointee.ctx, "log_level") else { return nil }
        let levels: [(String, siem_log_level)] = [
            ("\"trace\"", SIEM_LOG_TRACE), ("\"debug\"", SIEM_LOG_DEBUG), ("\"info\"", SIEM_LOG_INFO),
            ("\"notice\"", SIEM_LOG_NOTICE), ("\"warning\"", SIEM_LOG_WARNING), ("\"error\"", SIEM_LOG_ERROR),
            ("\"critical\"", SIEM_LOG_CRITICAL),
        ]
        let text = String(cString: json)
        let isSpace = { (b: UInt8) in b == 0x20 || b == 0x09 || b == 0x0a || b == 0x0d }
        guard let first = text.utf8.firstIndex(where: { !isSpace($0) }),
              let last = text.utf8.lastIndex(where: { !isSpace($0) }) else { return nil }
        let trimmed = String(decoding: text.utf8[first...last], as: UTF8.self)
        return levels.first { $0.0 == trimmed }?.1
    }

    /// Hands an event to the pipeline (may block briefly on back-pressure).
    @discardableResult
    public func emit(_ event: PluginEvent) -> siem_rc {
        event.withCEvent { table.pointee.emit_event(ctx, $0) }
    }

    @discardableResult
    public func requestDecision(_ decision: PluginDecision) -> siem_rc {
        decision.withCDecision { table.pointee.request_decision(ctx, $0) }
    }

    /// Reads from the store: "events", "actions", "bans" or "stats".
    public func query(_ what: String, params: String? = nil) throws -> String {
        var out: UnsafeMutablePointer<CChar>?
        let rc = table.pointee.query(ctx, what, params, &out)
        guard rc == SIEM_OK, let out else { throw PluginError("query \(what) failed (rc \(rc.rawValue))") }
        defer { table.pointee.free_string(ctx, out) }
        return String(cString: out)
    }

    /// A top-level config value as JSON, or nil when absent.
    public func config(_ key: String) -> String? {
        table.pointee.config_get(ctx, key).map { String(cString: $0) }
    }

    /// Plugin-private durable state; nil when unset.
    public func state(_ key: String) -> String? {
        var out: UnsafeMutablePointer<CChar>?
        guard table.pointee.state_get(ctx, key, &out) == SIEM_OK, let out else { return nil }
        defer { table.pointee.free_string(ctx, out) }
        return String(cString: out)
    }

    @discardableResult
    public func setState(_ key: String, _ value: String?) -> siem_rc {
        table.pointee.state_set(ctx, key, value)
    }
}
