/// A syslog line split into header and message.
public struct SyslogLine: Sendable, Equatable {
    /// Event time, UTC nanoseconds since the Unix epoch.
    public var timeNs: Int64
    /// The host name field.
    public var host: String
    /// The program name ("sshd", "sshd-session", "sshd-auth", "useradd", ...).
    public var process: String
    /// The process id in brackets after the program name; nil when the tag has none.
    public var pid: Int64?
    /// Byte offsets of the message (after "tag[pid]: ") inside the line buffer.
    public var messageRange: Range<Int>

    /// A line from its parts.
    public init(timeNs: Int64, host: String, process: String, pid: Int64?, messageRange: Range<Int>) {
        self.timeNs = timeNs
        self.host = host
        self.process = process
        self.pid = pid
        self.messageRange = messageRange
    }
}

/// The header of a syslog line as byte ranges into the line buffer: parsing it allocates
/// nothing, so callers can skip uninteresting lines for free.
public struct SyslogFields: Sendable, Equatable {
    /// Event time, UTC nanoseconds since the Unix epoch.
    public var timeNs: Int64
    /// Byte offsets of the host name.
    public var hostRange: Range<Int>
    /// Byte offsets of the program name.
    public var processRange: Range<Int>
    /// The process id; nil when the tag has none.
    public var pid: Int64?
    /// Byte offsets of the message.
    public var messageRange: Range<Int>

    /// Fields from their parts.
    public init(timeNs: Int64, hostRange: Range<Int>, processRange: Range<Int>, pid: Int64?, messageRange: Range<Int>) {
        self.timeNs = timeNs
        self.hostRange = hostRange
        self.processRange = processRange
        self.pid = pid
        self.messageRange = messageRange
    }
}
