/// One sshd security event read from a full log line.
public struct SSHLogEvent: Sendable, Equatable {
    /// The event.
    public var kind: SSHEventKind
    /// Event time, UTC nanoseconds since the Unix epoch.
    public var timeNs: Int64
    /// The peer address sshd appended, normalized; nil when the line has none.
    public var address: IPAddress?
    /// The peer port; nil when the line has none.
    public var port: UInt16?
    /// The username exactly as logged; nil when the line names none.
    public var user: String?
    /// "sshd", "sshd-session" or "sshd-auth".
    public var process: String
    /// The syslog host field.
    public var host: String
    /// The sshd process id; nil when the tag has none.
    public var pid: Int64?
    /// The line repeats a failure another line reports (see `SSHMessage.isRepeat`).
    public var isRepeat: Bool

    /// An event from its parts.
    public init(kind: SSHEventKind, timeNs: Int64, address: IPAddress?, port: UInt16?, user: String?,
                process: String, host: String, pid: Int64?, isRepeat: Bool = false) {
        self.kind = kind
        self.timeNs = timeNs
        self.address = address
        self.port = port
        self.user = user
        self.process = process
        self.host = host
        self.pid = pid
        self.isRepeat = isRepeat
    }
}

/// Reads full syslog lines and returns the sshd security events among them.
///
/// Only lines whose program is `sshd`, `sshd-session` (OpenSSH >= 9.8) or `sshd-auth` (10.0)
/// are classified. Lines that are not events cost no allocation.
public struct SSHLogLineParser: Sendable {
    /// The header parser (reference time and zone for year-less timestamps).
    public let syslog: SyslogParser

    /// `reference`: "now" in UTC ns, for the year of classic timestamps (see `SyslogParser`).
    public init(reference: Int64, timeZoneOffsetSeconds: Int = 0) {
        syslog = SyslogParser(reference: reference, timeZoneOffsetSeconds: timeZoneOffsetSeconds)
    }

    /// The event on one line, or nil (not syslog, not sshd, or not a security event).
    public func parse(_ line: UnsafeBufferPointer<UInt8>) -> SSHLogEvent? {
        guard let fields = syslog.parseFields(line),
              let process = Self.sshdProcessName(line, fields.processRange),
              let message = SSHMessageParser.parse(line, in: fields.messageRange) else { return nil }
        return SSHLogEvent(kind: message.kind, timeNs: fields.timeNs, address: message.address,
                           port: message.port, user: message.user, process: process,
                           host: line.string(fields.hostRange.lowerBound, fields.hostRange.upperBound),
                           pid: fields.pid, isRepeat: message.isRepeat)
    }

    /// The event on one line, or nil.
    public func parse(_ line: String) -> SSHLogEvent? {
        var text = line
        return text.withUTF8 { parse($0) }
    }

    /// The program name when it is one of sshd's; returned as a literal so it costs nothing.
    static func sshdProcessName(_ b: Bytes, _ range: Range<Int>) -> String? {
        let start = range.lowerBound, end = range.upperBound
        guard b.has("sshd", at: start, end: end) else { return nil }
        switch end - start {
        case 4: return "sshd"
        case 9: return b.has("-auth", at: start + 4, end: end) ? "sshd-auth" : nil
        case 12: return b.has("-session", at: start + 4, end: end) ? "sshd-session" : nil
        default: return nil
        }
    }
}
