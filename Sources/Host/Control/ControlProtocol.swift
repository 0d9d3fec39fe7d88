/// One request on the control socket: a JSON object on one line.
public struct ControlRequest: Codable, Sendable {
    /// `unblock`, `block`, `stats` or `ping`.
    public var command: String
    public var address: String?
    public var durationSeconds: Int64?
    public var reason: String?

    public init(command: String, address: String? = nil, durationSeconds: Int64? = nil, reason: String? = nil) {
        self.command = command
        self.address = address
        self.durationSeconds = durationSeconds
        self.reason = reason
    }
}

/// The reply: one JSON object on one line. `detail` is JSON text (stats).
public struct ControlReply: Codable, Sendable {
    public var ok: Bool
    public var message: String
    public var detail: String?

    public init(ok: Bool, message: String, detail: String? = nil) {
        self.ok = ok
        self.message = message
        self.detail = detail
    }
}

/// The longest request line accepted; anything longer is refused.
let controlMaxRequestBytes = 4096
