/// Rows of the SQLite store, as the rest of the host sees them.

/// One security event. `kind` is the snake_case name (`auth_failure`, ...).
public struct StoredEvent: Sendable, Equatable, Codable {
    public var id: Int64 = 0
    public var timeNs: Int64
    public var kind: String
    public var address: String?
    public var port: Int?
    public var user: String?
    public var service: String?
    public var host: String?
    public var pid: Int64?
    public var severity: Int
    public var source: String?
    public var raw: String?
    public var attributesJSON: String?

    public init(timeNs: Int64, kind: String, address: String? = nil, port: Int? = nil,
                user: String? = nil, service: String? = nil, host: String? = nil,
                pid: Int64? = nil, severity: Int = 1, source: String? = nil,
                raw: String? = nil, attributesJSON: String? = nil) {
        self.timeNs = timeNs
        self.kind = kind
        self.address = address
        self.port = port
        self.user = user
        self.service = service
        self.host = host
        self.pid = pid
        self.severity = severity
        self.source = source
        self.raw = raw
        self.attributesJSON = attributesJSON
    }
}

/// One entry of the audit trail: a block, unblock, expiry, notification, ...
public struct StoredAction: Sendable, Equatable, Codable {
    public var id: Int64 = 0
    public var timeNs: Int64
    /// `block`, `unblock`, `expire`, `whitelist_hit`, `notify`, ...
    public var action: String
    public var address: String?
    public var durationSeconds: Int64?
    public var reason: String?
    /// Who decided: `threshold`, `cli`, `api`, `plugin:NAME`, `reconcile`.
    public var origin: String

    public init(timeNs: Int64, action: String, address: String? = nil,
                durationSeconds: Int64? = nil, reason: String? = nil, origin: String) {
        self.timeNs = timeNs
        self.action = action
        self.address = address
        self.durationSeconds = durationSeconds
        self.reason = reason
        self.origin = origin
    }
}

/// A ban, active while `untilNs` is in the future and not lifted.
/// `count` is how many times this address has been banned (1 for the first).
public struct StoredBan: Sendable, Equatable, Codable {
    public var address: String
    public var sinceNs: Int64
    public var untilNs: Int64
    public var reason: String
    public var count: Int
    public var origin: String

    public init(address: String, sinceNs: Int64, untilNs: Int64, reason: String, count: Int, origin: String) {
        self.address = address
        self.sinceNs = sinceNs
        self.untilNs = untilNs
        self.reason = reason
        self.count = count
        self.origin = origin
    }
}

/// Filters for `mini-siem events` and the `events` query.
public struct EventFilter: Sendable, Equatable {
    public var limit: Int = 50
    public var address: String?
    public var kind: String?
    public var sinceNs: Int64?
    public init(limit: Int = 50, address: String? = nil, kind: String? = nil, sinceNs: Int64? = nil) {
        self.limit = limit
        self.address = address
        self.kind = kind
        self.sinceNs = sinceNs
    }
}

/// Counters for `stats`.
public struct StoreStats: Sendable, Equatable, Codable {
    public var events: Int64
    public var actions: Int64
    public var activeBans: Int64
    public var eventsByKind: [String: Int64]
    public init(events: Int64, actions: Int64, activeBans: Int64, eventsByKind: [String: Int64]) {
        self.events = events
        self.actions = actions
        self.activeBans = activeBans
        self.eventsByKind = eventsByKind
    }
}
