import PluginABI
#if canImport(Glibc)
import Glibc
#endif

/// The host's function table, wrapped for Swift. Thread-safe, like the table.
public struct HostAPI: @unchecked Sendable {
    public let table: UnsafePointer<siem_host_api>

    public init(_ table: UnsafePointer<siem_host_api>) { self.table = table }

    private var ctx: UnsafeMutableRawPointer? { table.pointee.ctx }

    public func log(_ level: siem_log_level, _ message: String) {
        table.pointee.log(ctx, level.rawValue, message)
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
