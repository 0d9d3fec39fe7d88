import PluginABI

/// A security event, as Swift values. See `siem_event` for each field.
public struct PluginEvent: Sendable, Equatable {
    public var kind: UInt32
    public var timeNs: Int64
    public var id: Int64 = 0
    public var address: String?
    public var family: UInt32 = 0
    public var port: UInt32 = 0
    public var user: String?
    public var service: String?
    public var host: String?
    public var pid: Int64 = 0
    public var severity: UInt32 = SIEM_SEVERITY_LOW.rawValue
    /// Bits of `siem_event_flag`.
    public var flags: UInt32 = 0
    public var raw: String?
    public var source: String?
    public var attributesJSON: String?

    public init(kind: UInt32, timeNs: Int64) {
        self.kind = kind
        self.timeNs = timeNs
    }

    /// Copies a borrowed C event.
    public init(_ c: UnsafePointer<siem_event>) {
        let e = c.pointee
        kind = e.kind
        timeNs = e.time_ns
        id = e.id
        address = e.address.map { String(cString: $0) }
        family = e.family
        port = e.port
        user = e.user.map { String(cString: $0) }
        service = e.service.map { String(cString: $0) }
        host = e.host.map { String(cString: $0) }
        pid = e.pid
        severity = e.severity
        flags = e.flags
        raw = e.raw.map { String(cString: $0) }
        source = e.source.map { String(cString: $0) }
        attributesJSON = e.attributes_json.map { String(cString: $0) }
    }

    /// Calls `body` with a C view whose strings live until `body` returns.
    public func withCEvent<R>(_ body: (UnsafePointer<siem_event>) throws -> R) rethrows -> R {
        let strings = CStringArena()
        defer { strings.release() }
        var e = siem_event()
        e.struct_size = UInt32(MemoryLayout<siem_event>.size)
        e.kind = kind
        e.time_ns = timeNs
        e.id = id
        e.address = strings.copy(address)
        e.family = family
        e.port = port
        e.user = strings.copy(user)
        e.service = strings.copy(service)
        e.host = strings.copy(host)
        e.pid = pid
        e.severity = severity
        e.flags = flags
        e.raw = strings.copy(raw)
        e.source = strings.copy(source)
        e.attributes_json = strings.copy(attributesJSON)
        return try withUnsafePointer(to: &e) { try body($0) }
    }
}

/// A decision about one address. See `siem_decision`.
public struct PluginDecision: Sendable, Equatable, Codable {
    public var action: UInt32
    public var id: Int64 = 0
    public var address: String
    public var family: UInt32 = 0
    public var count: UInt32 = 0
    public var durationSeconds: Int64 = 0
    public var untilNs: Int64 = 0
    public var reason: String?
    public var origin: String?

    public init(action: UInt32, address: String) {
        self.action = action
        self.address = address
    }

    /// Copies a borrowed C decision.
    public init(_ c: UnsafePointer<siem_decision>) {
        let d = c.pointee
        action = d.action
        id = d.id
        address = d.address.map { String(cString: $0) } ?? ""
        family = d.family
        count = d.count
        durationSeconds = d.duration_s
        untilNs = d.until_ns
        reason = d.reason.map { String(cString: $0) }
        origin = d.origin.map { String(cString: $0) }
    }

    public var isBlock: Bool { action == SIEM_ACTION_BLOCK.rawValue }

    /// Calls `body` with a C view whose strings live until `body` returns.
    public func withCDecision<R>(_ body: (UnsafePointer<siem_decision>) throws -> R) rethrows -> R {
        let strings = CStringArena()
        defer { strings.release() }
        var d = siem_decision()
        d.struct_size = UInt32(MemoryLayout<siem_decision>.size)
        d.action = action
        d.id = id
        d.address = strings.copy(address)
        d.family = family
        d.count = count
        d.duration_s = durationSeconds
        d.until_ns = untilNs
        d.reason = strings.copy(reason)
        d.origin = strings.copy(origin)
        return try withUnsafePointer(to: &d) { try body($0) }
    }
}
